package kr.example;

import dev.langchain4j.model.openai.OpenAiChatModel;

public class LocalChat {
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl("http://localhost:11434/v1").modelName("qwen2.5").build();
}
