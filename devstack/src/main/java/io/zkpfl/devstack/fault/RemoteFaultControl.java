package io.zkpfl.devstack.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Controls a component of a stack owned by another class loader or process, through its {@link FaultAdmin}.
 *
 * @param faultsUrl the admin API's base URL ({@code http://127.0.0.1:PORT/faults})
 * @param component the component
 */
public record RemoteFaultControl(String faultsUrl, Component component) implements FaultControl {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z]+)\"");

    @Override
    public void stall() {
        post("stall");
    }

    @Override
    public void resume() {
        post("resume");
    }

    @Override
    public void kill() {
        post("kill");
    }

    @Override
    public void restart() {
        post("restart");
    }

    @Override
    public FaultState state() {
        String body = send(HttpRequest.newBuilder(URI.create(faultsUrl)).GET());
        Matcher m = Pattern.compile("\"" + component.id() + "\"\\s*:\\s*\"([A-Z]+)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException(component.id() + " is not embedded in the stack at " + faultsUrl);
        }
        return FaultState.valueOf(m.group(1));
    }

    private void post(String fault) {
        String body = send(HttpRequest.newBuilder(URI.create(faultsUrl + "/" + component.id() + "/" + fault))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (!STATE.matcher(body).find()) {
            throw new IllegalStateException("unexpected answer from " + faultsUrl + ": " + body);
        }
    }

    private String send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofMinutes(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("fault admin answered " + response.statusCode() + ": "
                        + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("fault admin at " + faultsUrl + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
