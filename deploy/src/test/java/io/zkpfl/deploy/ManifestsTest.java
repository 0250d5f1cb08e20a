package io.zkpfl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;

/**
 * Renders every Kustomize overlay under k8s/ (and the base) the way {@code kubectl apply -k} would and checks the
 * result without a cluster: every resource against its schema (the Kubernetes OpenAPI schemas, Strimzi's API model),
 * then the invariants zkPFL relies on (docs/kubernetes.md, "What the manifest test checks").
 */
class ManifestsTest {

    static final List<String> OVERLAYS = List.of("k8s/base", "k8s/overlays/dev", "k8s/overlays/prod");

    /** Secrets the cluster provides rather than the manifests: CNPG writes {@code <cluster>-app}. */
    static final Set<String> OPERATOR_SECRETS = Set.of("zkpfl-db-app");

    /** Secrets an operator creates by hand in the overlays that do not generate them (docs/kubernetes.md). */
    static final Set<String> HAND_MADE_SECRETS = Set.of("zk-node-keystores", "reward-engine-keystore", "marketplace-relayer");

    private static final Map<String, List<ObjectNode>> RENDERED = new HashMap<>();

    static Stream<String> overlays() {
        return OVERLAYS.stream();
    }

    static synchronized List<ObjectNode> rendered(String overlay) throws Exception {
        List<ObjectNode> docs = RENDERED.get(overlay);
        if (docs == null) {
            docs = Kustomize.render(Kustomize.root().resolve(overlay));
            RENDERED.put(overlay, docs);
        }
        return docs;
    }

    static List<ObjectNode> ofKind(List<ObjectNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static ObjectNode one(List<ObjectNode> docs, String kind, String name) {
        List<ObjectNode> found = ofKind(docs, kind).stream().filter(d -> name.equals(d.at("/metadata/name").asText())).toList();
        assertEquals(1, found.size(), "exactly one " + kind + " " + name);
        return found.get(0);
    }

    static String id(JsonNode d) {
        return d.path("kind").asText() + " " + d.at("/metadata/name").asText();
    }

    static List<ObjectNode> workloads(List<ObjectNode> docs) {
        return docs.stream().filter(d -> Set.of("Deployment", "StatefulSet").contains(d.path("kind").asText())).toList();
    }

    static List<JsonNode> containers(JsonNode workload) {
        List<JsonNode> all = new ArrayList<>();
        workload.at("/spec/template/spec/containers").forEach(all::add);
        workload.at("/spec/template/spec/initContainers").forEach(all::add);
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void renders_the_whole_platform(String overlay) throws Exception {
        List<ObjectNode> docs = rendered(overlay);
        Set<String> kinds = docs.stream().map(ManifestsTest::id).collect(Collectors.toSet());
        for (String expected : List.of("StatefulSet zk-node", "Service zk-node-peers", "Service zk-node",
                "PodDisruptionBudget zk-node", "NetworkPolicy zk-node", "Deployment marketplace", "Service marketplace",
                "Deployment reward-engine", "Service reward-engine", "Kafka zkpfl-kafka", "KafkaNodePool dual-role",
                "Cluster zkpfl-db", "PersistentVolumeClaim zkpfl-reference-data")) {
            assertTrue(kinds.contains(expected), overlay + " renders " + expected + "; it rendered " + kinds);
        }
        String namespace = switch (overlay) {
            case "k8s/overlays/dev" -> "zkpfl-dev";
            case "k8s/overlays/prod" -> "zkpfl";
            default -> "";
        };
        for (ObjectNode d : docs) {
            assertEquals(namespace, d.at("/metadata/namespace").asText(), id(d) + " namespace in " + overlay);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void built_in_resources_match_the_kubernetes_openapi_schemas(String overlay) throws Exception {
        List<ObjectNode> docs = rendered(overlay);
        List<CoreSchemas.Result> results = CoreSchemas.validate(docs);
        List<String> invalid = new ArrayList<>();
        Set<String> validated = new HashSet<>();
        for (int i = 0; i < docs.size(); i++) {
            CoreSchemas.Result r = results.get(i);
            String apiVersion = docs.get(i).path("apiVersion").asText();
            boolean builtIn = !apiVersion.contains(".") || apiVersion.contains(".k8s.io/");
            switch (r.status()) {
                case VALID -> validated.add(r.kind());
                case INVALID -> invalid.add(r.toString());
                case NO_SCHEMA -> assertFalse(builtIn, "kubernetes-models has no schema for built-in " + r);
            }
        }
        assertTrue(invalid.isEmpty(), overlay + ": resources the Kubernetes schemas reject:\n" + String.join("\n", invalid));
        assertTrue(validated.containsAll(Set.of("StatefulSet", "Deployment", "Service", "PodDisruptionBudget",
                "NetworkPolicy", "ConfigMap", "PersistentVolumeClaim")), "schema-checked kinds: " + validated);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void every_resource_reads_strictly_into_its_published_model(String overlay) throws Exception {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (ObjectNode d : rendered(overlay)) {
            if (StrictModels.modelOf(d) == null && d.path("apiVersion").asText().startsWith("postgresql.cnpg.io/")) {
                continue; // CloudNativePG publishes no model or schema package (docs/adr/0086)
            }
            assertNotNull(StrictModels.modelOf(d), "a published model for " + d.path("apiVersion").asText() + " " + id(d));
            StrictModels.problems(d).forEach(p -> problems.add(id(d) + " " + p));
            checked++;
        }
        assertTrue(problems.isEmpty(), overlay + ":\n" + String.join("\n", problems));
        assertTrue(checked >= 15, "read " + checked + " resources");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void every_container_has_probes_resource_requests_and_a_tagged_image(String overlay) throws Exception {
        List<ObjectNode> workloads = workloads(rendered(overlay));
        assertEquals(3, workloads.size());
        Pattern tagged = Pattern.compile("^[^@]+:(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$|^[^@]+@sha256:[0-9a-f]{64}$");
        for (ObjectNode w : workloads) {
            for (JsonNode c : containers(w)) {
                String where = overlay + " " + id(w) + " container " + c.path("name").asText();
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    assertTrue(c.path(probe).isObject(), where + " has a " + probe);
                }
                assertEquals("/q/health/ready", c.at("/readinessProbe/httpGet/path").asText(), where);
                assertEquals("/q/health/live", c.at("/livenessProbe/httpGet/path").asText(), where);
                String probePort = c.at("/readinessProbe/httpGet/port").asText();
                boolean portDeclared = false;
                for (JsonNode p : c.path("ports")) {
                    portDeclared |= probePort.equals(p.path("name").asText()) || probePort.equals(p.path("containerPort").asText());
                }
                assertTrue(portDeclared, where + " probes port " + probePort + ", which it declares");
                assertFalse(c.at("/resources/requests/cpu").asText().isEmpty(), where + " requests cpu");
                assertFalse(c.at("/resources/requests/memory").asText().isEmpty(), where + " requests memory");
                assertFalse(c.at("/resources/limits/memory").asText().isEmpty(), where + " limits memory");
                String image = c.path("image").asText();
                var m = tagged.matcher(image);
                assertTrue(m.matches(), where + " image " + image + " carries a tag or digest");
                assertFalse("latest".equals(m.group("tag")), where + " image " + image + " is not :latest");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void node_disruption_budget_keeps_the_committee_threshold(String overlay) throws Exception {
        List<ObjectNode> docs = rendered(overlay);
        ObjectNode sts = one(docs, "StatefulSet", "zk-node");
        ObjectNode pdb = one(docs, "PodDisruptionBudget", "zk-node");
        int replicas = sts.at("/spec/replicas").asInt();
        String threshold = sts.at("/metadata/annotations/zkpfl.io~1committee-threshold").asText();
        assertFalse(threshold.isEmpty(), "zk-node carries zkpfl.io/committee-threshold");
        int t = Integer.parseInt(threshold);
        JsonNode minAvailable = pdb.at("/spec/minAvailable");
        assertTrue(minAvailable.isInt(), "minAvailable is a count of nodes, not a percentage: " + minAvailable);
        assertTrue(t >= 1 && t <= replicas, "threshold " + t + " within 1.." + replicas);
        assertTrue(minAvailable.asInt() >= t, overlay + ": PDB minAvailable " + minAvailable + " >= threshold " + t);
        assertTrue(minAvailable.asInt() < replicas, overlay + ": PDB minAvailable " + minAvailable + " < replicas "
                + replicas + ", or no node could ever be drained");
        assertTrue(selects(pdb.at("/spec/selector/matchLabels"), sts.at("/spec/template/metadata/labels")),
                "the PDB selects the node pods");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void each_node_pod_mounts_only_its_own_keystore(String overlay) throws Exception {
        List<ObjectNode> docs = rendered(overlay);
        ObjectNode sts = one(docs, "StatefulSet", "zk-node");
        JsonNode c = sts.at("/spec/template/spec/containers/0");
        Map<String, JsonNode> env = new LinkedHashMap<>();
        c.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        assertEquals("metadata.name", env.get("POD_NAME").at("/valueFrom/fieldRef/fieldPath").asText(),
                "POD_NAME comes from the downward API");
        Map<String, String> config = configFromEnvFrom(docs, c);
        String keystorePath = config.get("ZKPFL_NODE_KEYSTORE");
        String passwordPath = config.get("ZKPFL_NODE_PASSWORD_FILE");
        assertNotNull(keystorePath, "ZKPFL_NODE_KEYSTORE is configured");
        assertNotNull(passwordPath, "ZKPFL_NODE_PASSWORD_FILE is configured");
        String keystoreVolume = null;
        Map<String, String> subPaths = new HashMap<>();
        for (JsonNode mount : c.path("volumeMounts")) {
            String path = mount.path("mountPath").asText();
            if (path.equals(keystorePath) || path.equals(passwordPath)) {
                subPaths.put(path, mount.path("subPathExpr").asText());
                assertTrue(mount.path("readOnly").asBoolean(), path + " is mounted read-only");
                keystoreVolume = mount.path("name").asText();
            }
        }
        assertEquals("$(POD_NAME).json", subPaths.get(keystorePath), "the keystore mount selects the pod's own entry");
        assertEquals("$(POD_NAME).password", subPaths.get(passwordPath), "the password mount selects the pod's own entry");
        String secretName = null;
        for (JsonNode v : sts.at("/spec/template/spec/volumes")) {
            if (v.path("name").asText().equals(keystoreVolume)) {
                secretName = v.at("/secret/secretName").asText();
                assertTrue(v.at("/secret/items").isMissingNode(), "the whole Secret is in the volume, entries chosen per pod");
            }
        }
        assertNotNull(secretName, "the keystore volume is a Secret");
        String keystoreSecret = secretName;
        List<ObjectNode> secrets = ofKind(docs, "Secret").stream()
                .filter(s -> s.at("/metadata/name").asText().equals(keystoreSecret)).toList();
        if (secrets.isEmpty()) {
            // base and prod: the operator creates it; the name must then be exactly the documented one
            assertEquals("zk-node-keystores", secretName);
            return;
        }
        // dev ships one: every pod the StatefulSet makes has its own entry, and the entries are distinct keys
        JsonNode data = secrets.get(0).path("data");
        int replicas = sts.at("/spec/replicas").asInt();
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < replicas; i++) {
            String pod = sts.at("/metadata/name").asText() + "-" + i;
            assertTrue(data.has(pod + ".json") && data.has(pod + ".password"), "a keystore and password for " + pod);
            String json = new String(Base64.getMimeDecoder().decode(data.path(pod + ".json").asText()), StandardCharsets.UTF_8);
            String password = new String(Base64.getMimeDecoder().decode(data.path(pod + ".password").asText()), StandardCharsets.UTF_8);
            WalletFile wallet = Kustomize.JSON.readValue(json, WalletFile.class);
            String address = org.web3j.crypto.Keys.getAddress(Wallet.decrypt(password, wallet).getPublicKey());
            assertEquals(wallet.getAddress().toLowerCase(), address, pod + "'s keystore opens with its password");
            addresses.add(address);
        }
        assertEquals(replicas, addresses.size(), "every node pod has a different operator key: " + addresses);
        long entries = 0;
        for (var it = data.fieldNames(); it.hasNext(); it.next()) {
            entries++;
        }
        assertEquals(2L * replicas, entries, "no keystore for a pod that does not exist");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void no_secret_value_in_a_config_map(String overlay) throws Exception {
        Pattern privateKey = Pattern.compile("(?i)(0x)?[0-9a-f]{64}");
        Pattern secretish = Pattern.compile("(?i).*(password|secret|private|relayer[-_]?key|mnemonic|credential|token).*");
        Pattern contractAddress = Pattern.compile("0x[0-9a-fA-F]{40}");
        int entries = 0;
        for (ObjectNode cm : ofKind(rendered(overlay), "ConfigMap")) {
            for (var it = cm.path("data").fields(); it.hasNext(); ) {
                var e = it.next();
                String key = e.getKey();
                String value = e.getValue().asText();
                String where = overlay + " ConfigMap " + cm.at("/metadata/name").asText() + " " + key;
                assertFalse(privateKey.matcher(value).find(), where + " holds something shaped like a private key");
                assertFalse(value.contains("-----BEGIN"), where + " holds a PEM block");
                assertFalse(value.contains("ciphertext"), where + " holds a keystore");
                if (secretish.matcher(key).matches()) {
                    // a key that names a secret may only say where the secret is (a mounted file) or be a contract address
                    assertTrue(value.startsWith("/") || contractAddress.matcher(value).matches(),
                            where + " names a secret but holds a value: it belongs in a Secret");
                }
                assertFalse(value.matches("(?i)[a-z]+://[^/\\s:@]+:[^/\\s@]+@.*"), where + " embeds credentials in a URL");
                entries++;
            }
        }
        assertTrue(entries > 10, "checked " + entries + " ConfigMap entries");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void every_referenced_config_map_and_secret_exists(String overlay) throws Exception {
        List<ObjectNode> docs = rendered(overlay);
        Set<String> configMaps = ofKind(docs, "ConfigMap").stream().map(d -> d.at("/metadata/name").asText()).collect(Collectors.toSet());
        Set<String> secrets = ofKind(docs, "Secret").stream().map(d -> d.at("/metadata/name").asText()).collect(Collectors.toSet());
        secrets.addAll(OPERATOR_SECRETS);
        if (!overlay.equals("k8s/overlays/dev")) {
            secrets.addAll(HAND_MADE_SECRETS);
        }
        for (ObjectNode w : workloads(docs)) {
            List<String[]> refs = new ArrayList<>();
            for (JsonNode c : containers(w)) {
                c.path("envFrom").forEach(e -> {
                    if (e.has("configMapRef")) refs.add(new String[] {"ConfigMap", e.at("/configMapRef/name").asText()});
                    if (e.has("secretRef")) refs.add(new String[] {"Secret", e.at("/secretRef/name").asText()});
                });
                c.path("env").forEach(e -> {
                    if (e.at("/valueFrom/configMapKeyRef").isObject()) refs.add(new String[] {"ConfigMap", e.at("/valueFrom/configMapKeyRef/name").asText()});
                    if (e.at("/valueFrom/secretKeyRef").isObject()) refs.add(new String[] {"Secret", e.at("/valueFrom/secretKeyRef/name").asText()});
                });
            }
            w.at("/spec/template/spec/volumes").forEach(v -> {
                if (v.has("secret")) refs.add(new String[] {"Secret", v.at("/secret/secretName").asText()});
                if (v.has("configMap")) refs.add(new String[] {"ConfigMap", v.at("/configMap/name").asText()});
            });
            for (String[] ref : refs) {
                Set<String> known = ref[0].equals("Secret") ? secrets : configMaps;
                assertTrue(known.contains(ref[1]), overlay + " " + id(w) + " references " + ref[0] + " " + ref[1]
                        + ", which is neither rendered nor documented as provided (" + known + ")");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void services_select_pods_on_declared_ports(String overlay) throws Exception {
        List<ObjectNode> docs = rendered(overlay);
        for (ObjectNode svc : ofKind(docs, "Service")) {
            List<ObjectNode> backends = workloads(docs).stream()
                    .filter(w -> selects(svc.at("/spec/selector"), w.at("/spec/template/metadata/labels"))).toList();
            assertEquals(1, backends.size(), overlay + " " + id(svc) + " selects exactly one workload's pods");
            Set<String> ports = new HashSet<>();
            for (JsonNode c : containers(backends.get(0))) {
                c.path("ports").forEach(p -> {
                    ports.add(p.path("name").asText());
                    ports.add(p.path("containerPort").asText());
                });
            }
            svc.at("/spec/ports").forEach(p -> assertTrue(ports.contains(p.path("targetPort").asText()),
                    id(svc) + " targets port " + p.path("targetPort").asText() + " the pods declare"));
        }
        ObjectNode sts = one(docs, "StatefulSet", "zk-node");
        ObjectNode peers = one(docs, "Service", sts.at("/spec/serviceName").asText());
        assertEquals("None", peers.at("/spec/clusterIP").asText(), "the StatefulSet's service is headless (peer DNS)");
        assertTrue(peers.at("/spec/publishNotReadyAddresses").asBoolean(), "peers resolve while still starting");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void node_network_policy_admits_only_peers_monitoring_and_ingress(String overlay) throws Exception {
        List<ObjectNode> docs = rendered(overlay);
        ObjectNode sts = one(docs, "StatefulSet", "zk-node");
        ObjectNode np = one(docs, "NetworkPolicy", "zk-node");
        JsonNode podLabels = sts.at("/spec/template/metadata/labels");
        assertTrue(selects(np.at("/spec/podSelector/matchLabels"), podLabels), "the policy applies to the node pods");
        List<String> types = new ArrayList<>();
        np.at("/spec/policyTypes").forEach(t -> types.add(t.asText()));
        assertTrue(types.contains("Ingress"), "ingress is restricted");
        Map<String, Integer> containerPorts = new HashMap<>();
        sts.at("/spec/template/spec/containers/0/ports").forEach(p -> containerPorts.put(p.path("name").asText(), p.path("containerPort").asInt()));
        int http = containerPorts.get("http");
        int raft = containerPorts.get("raft");
        boolean peersRaft = false;
        for (JsonNode rule : np.at("/spec/ingress")) {
            Set<Integer> ports = new HashSet<>();
            rule.path("ports").forEach(p -> ports.add(p.path("port").asInt()));
            assertFalse(rule.path("from").isEmpty(), "every rule names its sources (an empty from admits everyone)");
            assertFalse(ports.isEmpty(), "every rule names its ports");
            for (JsonNode from : rule.path("from")) {
                assertFalse(from.has("ipBlock"), "no address ranges");
                if (from.has("namespaceSelector")) {
                    String ns = from.at("/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText();
                    assertTrue(Set.of("monitoring", "ingress-nginx").contains(ns), "namespace source " + ns);
                    assertEquals(Set.of(http), ports, "other namespaces reach only HTTP");
                    assertFalse(from.has("podSelector"));
                } else {
                    assertTrue(selects(from.at("/podSelector/matchLabels"), podLabels), "pod sources are node pods only");
                    peersRaft |= ports.contains(raft);
                    assertEquals(Set.of(raft, http), ports, "peers reach Raft and peer HTTP");
                }
            }
        }
        assertTrue(peersRaft, "node pods reach each other's Raft port");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void kafka_is_kraft_and_replication_fits_the_node_pool(String overlay) throws Exception {
        List<ObjectNode> docs = rendered(overlay);
        ObjectNode kafka = one(docs, "Kafka", "zkpfl-kafka");
        int brokers = 0;
        boolean controllers = false;
        for (ObjectNode pool : ofKind(docs, "KafkaNodePool")) {
            assertEquals("zkpfl-kafka", pool.at("/metadata/labels/strimzi.io~1cluster").asText(), id(pool) + " belongs to the cluster");
            Set<String> roles = new HashSet<>();
            pool.at("/spec/roles").forEach(r -> roles.add(r.asText()));
            controllers |= roles.contains("controller");
            if (roles.contains("broker")) {
                brokers += pool.at("/spec/replicas").asInt();
            }
        }
        assertTrue(controllers, "KRaft: a node pool has the controller role");
        assertTrue(brokers >= 1, "brokers: " + brokers);
        JsonNode config = kafka.at("/spec/kafka/config");
        int rf = config.path("default.replication.factor").asInt();
        int isr = config.path("min.insync.replicas").asInt();
        assertTrue(rf <= brokers && config.path("offsets.topic.replication.factor").asInt() <= brokers
                        && config.path("transaction.state.log.replication.factor").asInt() <= brokers,
                overlay + ": replication factors fit " + brokers + " brokers");
        assertTrue(isr <= rf && (rf == 1 || isr < rf), overlay + ": min ISR " + isr + " leaves room for one broker down (RF " + rf + ")");
        String bootstrap = configValue(docs, "zkpfl-platform", "KAFKA_BOOTSTRAP_SERVERS");
        boolean plain = false;
        for (JsonNode l : kafka.at("/spec/kafka/listeners")) {
            plain |= !l.path("tls").asBoolean() && bootstrap.equals("zkpfl-kafka-kafka-bootstrap:" + l.path("port").asInt());
        }
        assertTrue(plain, "KAFKA_BOOTSTRAP_SERVERS " + bootstrap + " is the cluster's plain listener");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void cnpg_cluster_is_what_the_services_expect(String overlay) throws Exception {
        // what the services depend on (CNPG publishes no schema to check the rest against offline: docs/adr/0086)
        List<ObjectNode> docs = rendered(overlay);
        ObjectNode cluster = one(docs, "Cluster", "zkpfl-db");
        assertEquals("postgresql.cnpg.io/v1", cluster.path("apiVersion").asText());
        assertTrue(cluster.at("/spec/instances").isInt() && cluster.at("/spec/instances").asInt() >= 1);
        assertTrue(cluster.at("/spec/storage/size").asText().matches("[0-9]+(Mi|Gi|Ti)"), "storage size");
        String database = cluster.at("/spec/bootstrap/initdb/database").asText();
        assertEquals("zkpfl", database);
        assertFalse(cluster.at("/spec/bootstrap/initdb/owner").asText().isEmpty());
        Set<String> allowed = Set.of("metadata", "spec");
        cluster.fieldNames().forEachRemaining(f -> assertTrue(allowed.contains(f) || f.equals("apiVersion") || f.equals("kind"), f));
        String rw = cluster.at("/metadata/name").asText() + "-rw";
        String app = cluster.at("/metadata/name").asText() + "-app";
        for (ObjectNode w : workloads(docs)) {
            JsonNode c = w.at("/spec/template/spec/containers/0");
            Map<String, String> config = configFromEnvFrom(docs, c);
            for (var e : config.entrySet()) {
                if (e.getKey().startsWith("QUARKUS_DATASOURCE_") && e.getKey().endsWith("_URL")) {
                    assertTrue(e.getValue().contains("//" + rw + ":5432/" + database), id(w) + " " + e + " points at " + rw);
                }
            }
            c.path("env").forEach(e -> {
                if (e.path("name").asText().startsWith("QUARKUS_DATASOURCE_")) {
                    assertEquals(app, e.at("/valueFrom/secretKeyRef/name").asText(), id(w) + " " + e.path("name").asText());
                }
            });
        }
    }

    // --- helpers

    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector == null || !selector.isObject() || selector.isEmpty()) {
            return false;
        }
        for (var it = selector.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    /** The variables a container gets from its envFrom ConfigMaps (later ones win, as in Kubernetes). */
    static Map<String, String> configFromEnvFrom(List<ObjectNode> docs, JsonNode container) {
        Map<String, String> vars = new LinkedHashMap<>();
        container.path("envFrom").forEach(e -> {
            String name = e.at("/configMapRef/name").asText();
            if (!name.isEmpty()) {
                one(docs, "ConfigMap", name).path("data").fields().forEachRemaining(f -> vars.put(f.getKey(), f.getValue().asText()));
            }
        });
        return vars;
    }

    static String configValue(List<ObjectNode> docs, String configMapPrefix, String key) {
        for (ObjectNode cm : ofKind(docs, "ConfigMap")) {
            if (cm.at("/metadata/name").asText().startsWith(configMapPrefix) && cm.path("data").has(key)) {
                return cm.path("data").path(key).asText();
            }
        }
        fail("no ConfigMap " + configMapPrefix + "* sets " + key);
        return null;
    }

    static Path root() {
        return Kustomize.root();
    }
}
