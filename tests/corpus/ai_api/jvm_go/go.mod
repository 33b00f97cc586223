module example.kr/chat

go 1.22

require (
	github.com/anthropics/anthropic-sdk-go v0.2.0
	github.com/openai/openai-go v0.1.0
)
