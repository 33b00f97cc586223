import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic();
