package main

import (
	openai "github.com/sashabaranov/go-openai"
)

func main() {
	c := openai.NewClient("token")
	_ = c
}
