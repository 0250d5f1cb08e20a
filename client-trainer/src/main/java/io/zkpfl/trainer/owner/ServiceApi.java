package io.zkpfl.trainer.owner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.trainer.round.TrainerException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * JSON over HTTP to one zkPFL service (the marketplace's POSTs, the reward engine's model and audit APIs), each
 * answer a {@link JsonNode}. A problem ({@code application/problem+json}) becomes one line with its {@code detail}:
 * 401, 403, 404, 409 and 422 a refusal (signature, unknown job, nonce, the chain would revert), 5xx or no connection
 * an unavailable dependency, any other status (400, 413) bad input.
 */
public final class ServiceApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 1L << 30;

    private final String name;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code name} says which service in messages, e.g. "the reward engine". */
    public ServiceApi(String name, String baseUrl) {
        this.name = name;
        try {
            this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " URL '" + baseUrl + "' is not a URL");
        }
        if (base.getScheme() == null || base.getHost() == null) {
            throw new IllegalArgumentException(name + " URL '" + baseUrl + "' is not an http(s) URL");
        }
    }

    public URI base() {
        return base;
    }

    /** {@code GET path}: the JSON of a 200. */
    public JsonNode get(String path) {
        return json("GET", path, send(HttpRequest.newBuilder(uri(path)).GET(), path, HttpResponse.BodyHandlers.ofString()));
    }

    /** {@code GET path}: the bytes of a 200 (at most 1 GiB). */
    public byte[] bytes(String path) {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(path)).GET(), path, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw problem("GET", path, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        }
        if (r.body().length > MAX_BYTES) {
            throw new IllegalArgumentException(name + " answered GET " + path + " with more than " + MAX_BYTES + " bytes");
        }
        return r.body();
    }

    /** {@code POST path} with a JSON body: the JSON of a 200 or 201. */
    public JsonNode post(String path, JsonNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        return json("POST", path, send(b, path, HttpResponse.BodyHandlers.ofString()));
    }

    private URI uri(String path) {
        return URI.create(base + (path.startsWith("/") ? path : "/" + path));
    }

    private JsonNode json(String method, String path, HttpResponse<String> r) {
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw problem(method, path, r.statusCode(), r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalArgumentException(name + " answered " + method + " " + path + " with malformed JSON");
        }
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, String path, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).header("Accept", "application/json").build(), body);
        } catch (IOException e) {
            throw TrainerException.unavailable(name + " at " + base + " cannot be reached ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " (" + path + ")");
        }
    }

    private RuntimeException problem(String method, String path, int status, String body) {
        String detail = null;
        try {
            detail = JSON.readTree(body).path("detail").asText(null);
        } catch (IOException | RuntimeException e) {
            // not problem+json: the status says enough
        }
        String text = name + " answered " + method + " " + path + " with " + status + (detail == null ? "" : ": " + detail);
        if (status == 401 || status == 403 || status == 404 || status == 409 || status == 422) {
            return TrainerException.refused(text);
        }
        if (status >= 500) {
            return TrainerException.unavailable(text, null);
        }
        return new IllegalArgumentException(text);
    }
}
