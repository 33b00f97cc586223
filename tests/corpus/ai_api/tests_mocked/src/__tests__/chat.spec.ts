import Anthropic from "@anthropic-ai/sdk";
jest.mock("@anthropic-ai/sdk");

const client = new Anthropic();
