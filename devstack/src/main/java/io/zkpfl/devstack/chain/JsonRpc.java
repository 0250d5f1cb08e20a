package io.zkpfl.devstack.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A minimal Ethereum JSON-RPC caller on the JDK HTTP client (devstack does not depend on web3j). */
public final class JsonRpc {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();

    public JsonRpc(String url) {
        this.endpoint = URI.create(url);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /**
     * Calls {@code method} with a JSON array of parameters and returns the {@code result} member.
     *
     * @throws IOException when the node cannot be reached or answers with a JSON-RPC error
     */
    public JsonNode call(String method, String paramsJsonArray) throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", ids.incrementAndGet());
        request.put("method", method);
        request.set("params", JSON.readTree(paramsJsonArray == null ? "[]" : paramsJsonArray));
        HttpRequest httpRequest = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + method, e);
        }
        if (response.statusCode() != 200) {
            throw new IOException(method + " answered HTTP " + response.statusCode() + ": " + response.body());
        }
        JsonNode body = JSON.readTree(response.body());
        if (body.hasNonNull("error")) {
            throw new IOException(method + " failed: " + body.get("error"));
        }
        return body.get("result");
    }
}
