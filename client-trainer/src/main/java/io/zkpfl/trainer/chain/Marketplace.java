package io.zkpfl.trainer.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zkpfl.trainer.round.TrainerException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The marketplace's public REST API as a trainer reads it (docs/marketplace-api.md): {@code GET /api/v1/chain},
 * {@code GET /api/v1/jobs}, {@code GET /api/v1/jobs/{id}} and the job's artefacts. Problems
 * ({@code application/problem+json}) become one line with their {@code detail}.
 */
public final class Marketplace {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_ARTIFACT = 1L << 30;

    private final URI base;
    private final HttpClient http;

    public Marketplace(String baseUrl) {
        String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = URI.create(b);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI base() {
        return base;
    }

    /** {@code GET /api/v1/chain}: chain id and the deployment's addresses. */
    public JsonNode chain() {
        return json("/api/v1/chain");
    }

    /** {@code GET /api/v1/jobs?…}: one page of the listing. */
    public JsonNode jobs(String query) {
        return json("/api/v1/jobs" + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    /** {@code GET /api/v1/jobs/{id}}. */
    public JsonNode job(long id) {
        return json("/api/v1/jobs/" + id);
    }

    /** The bytes at {@code href} (a path on this marketplace, e.g. an artefact's). */
    public byte[] bytes(String href) {
        HttpResponse<byte[]> r = send(href, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw problem(href, r.statusCode(), new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        if (r.body().length > MAX_ARTIFACT) {
            throw new IllegalArgumentException(href + " is larger than " + MAX_ARTIFACT + " bytes");
        }
        return r.body();
    }

    private JsonNode json(String path) {
        HttpResponse<String> r = send(path, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw problem(path, r.statusCode(), r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalArgumentException("the marketplace answered " + path + " with malformed JSON");
        }
    }

    private <T> HttpResponse<T> send(String path, HttpResponse.BodyHandler<T> body) {
        URI uri = base.resolve(path.startsWith("/") ? path : "/" + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET()
                .header("Accept", "application/json").build();
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw TrainerException.unavailable("the marketplace at " + base + " cannot be reached ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private RuntimeException problem(String path, int status, String body) {
        String detail = null;
        try {
            JsonNode p = JSON.readTree(body);
            detail = p.path("detail").asText(null);
        } catch (IOException | RuntimeException e) {
            // not problem+json
        }
        String text = "the marketplace answered GET " + path + " with " + status + (detail == null ? "" : ": " + detail);
        if (status == 404) {
            return TrainerException.refused(text);
        }
        if (status >= 500) {
            return TrainerException.unavailable(text, null);
        }
        return new IllegalArgumentException(text);
    }
}
