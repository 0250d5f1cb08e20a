package io.zkpfl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * The checks of {@link ManifestsTest} catch what they are there for: each case is an overlay over the real base with
 * one mistake an operator or a change could make, rendered by kubectl like the real ones, and the matching check
 * must reject it (and name the problem).
 */
class BrokenOverlaysTest {

    @TempDir
    Path dir;

    /** An overlay of the dev overlay with one JSON patch to {@code kind/name}. */
    private String overlay(String kind, String name, String patch) throws Exception {
        Path dev = Kustomize.root().resolve("k8s/overlays/dev");
        // a directory of its own per overlay: ManifestsTest keeps renders by directory
        Path dir = Files.createTempDirectory(this.dir, "overlay");
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                patches:
                  - target:
                      kind: %s
                      name: %s
                    patch: |-
                %s
                """.formatted(dir.relativize(dev), kind, name, patch.indent(6).stripTrailing()));
        return dir.toString();
    }

    private static void rejects(String because, org.junit.jupiter.api.function.Executable check) {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, check);
        assertTrue(e.getMessage().contains(because), "rejected for the right reason: " + e.getMessage());
    }

    private final ManifestsTest checks = new ManifestsTest();

    @Test
    void pdb_below_the_threshold() throws Exception {
        String o = overlay("PodDisruptionBudget", "zk-node", "- {op: replace, path: /spec/minAvailable, value: 1}");
        rejects(">= threshold 2", () -> checks.node_disruption_budget_keeps_the_committee_threshold(o));
    }

    @Test
    void pdb_that_blocks_every_drain() throws Exception {
        String o = overlay("PodDisruptionBudget", "zk-node", "- {op: replace, path: /spec/minAvailable, value: 3}");
        rejects("or no node could ever be drained", () -> checks.node_disruption_budget_keeps_the_committee_threshold(o));
    }

    @Test
    void every_node_pod_sharing_one_keystore() throws Exception {
        String o = overlay("StatefulSet", "zk-node", """
                - {op: remove, path: /spec/template/spec/containers/0/volumeMounts/0/subPathExpr}
                - {op: add, path: /spec/template/spec/containers/0/volumeMounts/0/subPath, value: zk-node-0.json}""");
        rejects("selects the pod's own entry", () -> checks.each_node_pod_mounts_only_its_own_keystore(o));
    }

    @Test
    void a_container_without_readiness_probe() throws Exception {
        String o = overlay("Deployment", "marketplace", "- {op: remove, path: /spec/template/spec/containers/0/readinessProbe}");
        rejects("has a readinessProbe", () -> checks.every_container_has_probes_resource_requests_and_a_tagged_image(o));
    }

    @Test
    void a_container_without_requests() throws Exception {
        String o = overlay("Deployment", "reward-engine", "- {op: remove, path: /spec/template/spec/containers/0/resources/requests}");
        rejects("requests cpu", () -> checks.every_container_has_probes_resource_requests_and_a_tagged_image(o));
    }

    @Test
    void an_image_on_latest_or_untagged() throws Exception {
        String latest = overlay("Deployment", "marketplace",
                "- {op: replace, path: /spec/template/spec/containers/0/image, value: 'zkpfl/marketplace-service:latest'}");
        rejects("is not :latest", () -> checks.every_container_has_probes_resource_requests_and_a_tagged_image(latest));
        String untagged = overlay("Deployment", "marketplace",
                "- {op: replace, path: /spec/template/spec/containers/0/image, value: 'registry:5000/zkpfl/marketplace-service'}");
        rejects("carries a tag or digest", () -> checks.every_container_has_probes_resource_requests_and_a_tagged_image(untagged));
    }

    @Test
    void a_password_in_a_config_map() throws Exception {
        String o = overlay("ConfigMap", "zk-node-config", "- {op: add, path: /data/ZKPFL_NODE_PASSWORD, value: hunter2}");
        rejects("belongs in a Secret", () -> checks.no_secret_value_in_a_config_map(o));
        String key = overlay("ConfigMap", "marketplace-config",
                "- {op: add, path: /data/RELAY, value: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'}");
        rejects("shaped like a private key", () -> checks.no_secret_value_in_a_config_map(key));
    }

    @Test
    void a_misspelt_field_and_a_wrong_type() throws Exception {
        String typo = overlay("Deployment", "marketplace",
                "- {op: add, path: /spec/template/spec/containers/0/livenesProbe, value: {periodSeconds: 5}}");
        rejects("unknown field(s) [livenesProbe]", () -> checks.every_resource_reads_strictly_into_its_published_model(typo));
        String type = overlay("StatefulSet", "zk-node", "- {op: replace, path: /spec/replicas, value: three}");
        rejects("/spec/replicas must be integer", () -> checks.built_in_resources_match_the_kubernetes_openapi_schemas(type));
    }

    @Test
    void strimzi_resources_against_strimzis_model() throws Exception {
        String typo = overlay("Kafka", "zkpfl-kafka", "- {op: add, path: /spec/kafka/listeners/0/tsl, value: false}");
        rejects("unknown field(s) [tsl]", () -> checks.every_resource_reads_strictly_into_its_published_model(typo));
        String type = overlay("KafkaNodePool", "dual-role", "- {op: replace, path: /spec/storage/volumes/0/type, value: ephemeral-claim}");
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> checks.every_resource_reads_strictly_into_its_published_model(type));
        assertTrue(e.getMessage().contains("KafkaNodePool dual-role"), e.getMessage());
    }

    @Test
    void kafka_replication_the_pool_cannot_hold() throws Exception {
        String o = overlay("Kafka", "zkpfl-kafka", "- {op: replace, path: /spec/kafka/config/default.replication.factor, value: 3}");
        rejects("replication factors fit 1 brokers", () -> checks.kafka_is_kraft_and_replication_fits_the_node_pool(o));
    }

    @Test
    void a_network_policy_open_to_everyone() throws Exception {
        String o = overlay("NetworkPolicy", "zk-node", "- {op: add, path: /spec/ingress/-, value: {ports: [{port: 8090}]}}");
        rejects("an empty from admits everyone", () -> checks.node_network_policy_admits_only_peers_monitoring_and_ingress(o));
    }

    @Test
    void a_secret_nobody_creates() throws Exception {
        String o = overlay("Deployment", "marketplace",
                "- {op: replace, path: /spec/template/spec/containers/0/env/2/valueFrom/secretKeyRef/name, value: relayer}");
        rejects("references Secret relayer", () -> checks.every_referenced_config_map_and_secret_exists(o));
    }

    @Test
    void kustomize_errors_are_reported() throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - missing.yaml\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Kustomize.render(dir));
        assertTrue(e.getMessage().contains("missing.yaml"), e.getMessage());
    }

    @Test
    void the_api_server_view_of_wrapped_secret_data() throws Exception {
        List<ObjectNode> docs = Kustomize.parse("""
                apiVersion: v1
                kind: Secret
                metadata: {name: s}
                data:
                  k: |
                    aGVsbG8g
                    d29ybGQ=
                """);
        assertEquals("aGVsbG8gd29ybGQ=", CoreSchemas.asTheApiServerReadsIt(docs.get(0)).at("/data/k").asText());
        assertEquals(CoreSchemas.Status.VALID, CoreSchemas.validate(List.of(CoreSchemas.asTheApiServerReadsIt(docs.get(0)))).get(0).status());
        ObjectNode broken = docs.get(0).deepCopy();
        ((ObjectNode) broken.path("data")).put("k", "not base64!");
        assertEquals(CoreSchemas.Status.INVALID, CoreSchemas.validate(List.of(broken)).get(0).status());
    }
}
