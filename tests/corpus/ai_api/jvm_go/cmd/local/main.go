package main

import (
	"github.com/openai/openai-go"
	"github.com/openai/openai-go/option"
)

func main() {
	c := openai.NewClient(option.WithBaseURL("http://localhost:8000/v1/"))
	_ = c
}
