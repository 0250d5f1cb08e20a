package io.zkpfl.devstack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * The demo's chain section: the contracts the marketplace deployed on the dev chain (read from its
 * {@code GET /api/v1/chain}) and commands that post a signed job and follow it onto the chain.
 */
public final class DemoChain {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoChain() {
    }

    /** The text the demo prints, or a line saying why the chain section is missing. */
    public static String describe(URI base, String rpcUrl, String devOwner) {
        JsonNode chain;
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/api/v1/chain"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "  (GET /api/v1/chain answered " + response.statusCode() + ")\n";
            }
            chain = JSON.readTree(response.body());
        } catch (IOException e) {
            return "  (GET /api/v1/chain failed: " + e.getMessage() + ")\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "  (interrupted)\n";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nzkPFL contracts on the dev chain %s (chain id %d)%n", rpcUrl, chain.get("chainId").asLong()));
        sb.append(String.format(Locale.ROOT, "  JobMarket    %s%n", chain.get("market").asText()));
        sb.append(String.format(Locale.ROOT, "  Token        %s  (fee token; dev accounts 1-4 hold 100000, 1-3 approved the market)%n",
                chain.get("token").asText()));
        sb.append(String.format(Locale.ROOT, "  Registry     %s  (dev accounts 5-7 are zk-nodes)%n", chain.get("registry").asText()));
        sb.append(String.format(Locale.ROOT, "  Certifier    %s%n", chain.get("certifier").asText()));
        sb.append(String.format(Locale.ROOT, "  Relayer      %s  (sends createJob for the owners)%n", chain.get("relayer").asText()));
        sb.append(String.format(Locale.ROOT, "%nPost a job signed by the dev owner %s and watch it reach the chain:%n", devOwner));
        sb.append(String.format(Locale.ROOT, "  curl -s %s/api/v1/chain/dev-sample-job > job.json%n", base));
        sb.append(String.format(Locale.ROOT, "  curl -s -H 'Content-Type: application/json' --data @job.json %s/api/v1/jobs%n", base));
        sb.append(String.format(Locale.ROOT, "  curl -s %s/api/v1/jobs/1    # submission.state ON_CHAIN, then chain.status, committee, escrow%n", base));
        sb.append(String.format(Locale.ROOT, "Your own jobs: POST the unsigned job to %s/api/v1/jobs/typed-data, sign its typedData with%n", base));
        sb.append("  eth_signTypedData_v4 or web3j (docs/marketplace-api.md), add \"signature\" and POST it to /api/v1/jobs.\n");
        return sb.toString();
    }
}
