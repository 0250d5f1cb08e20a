package io.zkpfl.deploy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads resources into published Java models — fabric8's Kubernetes model for the built-in kinds, Strimzi's own API
 * model ({@code io.strimzi:api}) for Kafka and KafkaNodePool — and reports what the schema would reject or prune:
 * a value of the wrong type or an unknown enum constant (Jackson fails), a field the model does not know (both
 * models keep those in {@code additionalProperties} instead of failing, which is what we walk for: kubectl's strict
 * field validation rejects them too) and a field the model marks required that is missing.
 */
final class StrictModels {

    static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/Secret", io.fabric8.kubernetes.api.model.Secret.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("v1/PersistentVolumeClaim", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
            Map.entry("apps/v1/StatefulSet", io.fabric8.kubernetes.api.model.apps.StatefulSet.class),
            Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class));

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    static Class<?> modelOf(ObjectNode doc) {
        return MODELS.get(doc.path("apiVersion").asText() + "/" + doc.path("kind").asText());
    }

    /** The problems of {@code doc} read as its model class; empty when it reads cleanly. */
    static List<String> problems(ObjectNode doc) {
        Class<?> model = modelOf(doc);
        if (model == null) {
            throw new IllegalArgumentException("no model for " + doc.path("apiVersion").asText() + " " + doc.path("kind").asText());
        }
        Object bean;
        try {
            bean = MAPPER.treeToValue(doc, model);
        } catch (Exception e) {
            return List.of(e.getMessage().lines().findFirst().orElse(e.toString()));
        }
        List<String> problems = new ArrayList<>();
        walk(bean, "", problems);
        return problems;
    }

    private static void walk(Object value, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                walk(o, path + "/" + i++, problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "/" + k, problems));
            return;
        }
        Class<?> type = value.getClass();
        if (!isModel(type) || type.isEnum()) {
            return;
        }
        for (Class<?> c = type; c != null && isModel(c); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                JsonProperty p = f.getAnnotation(JsonProperty.class);
                if (p != null && p.required() && !Modifier.isStatic(f.getModifiers()) && read(f, value) == null) {
                    problems.add(path + "/" + (p.value().isEmpty() ? f.getName() : p.value()) + ": required by the model, missing");
                }
            }
        }
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !isModel(m.getDeclaringClass())) {
                continue;
            }
            String name = m.getName();
            if (name.equals("getAdditionalProperties")) {
                Object extra = invoke(m, value);
                if (extra instanceof Map<?, ?> map && !map.isEmpty()) {
                    problems.add((path.isEmpty() ? "/" : path) + ": unknown field(s) " + map.keySet());
                }
            } else if (name.startsWith("get") && name.length() > 3) {
                walk(invoke(m, value), path + "/" + Character.toLowerCase(name.charAt(3)) + name.substring(4), problems);
            }
        }
    }

    private static boolean isModel(Class<?> c) {
        String n = c.getName();
        return n.startsWith("io.fabric8.kubernetes.api.model.") || n.startsWith("io.strimzi.api.");
    }

    private static Object invoke(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Object read(Field f, Object target) {
        try {
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private StrictModels() {
    }
}
