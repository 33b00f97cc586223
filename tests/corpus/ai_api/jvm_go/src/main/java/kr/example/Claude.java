package kr.example;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;

public class Claude {
    AnthropicClient client = AnthropicOkHttpClient.fromEnv();
}
