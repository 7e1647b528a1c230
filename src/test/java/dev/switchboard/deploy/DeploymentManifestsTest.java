package dev.switchboard.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.switchboard.identity.Roles;
import dev.switchboard.identity.SelfSignedKeysConfigSourceFactory;
import dev.switchboard.platform.EmbeddedDatabaseConfigSourceFactory;
import dev.switchboard.support.Management;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Keeps the Kubernetes manifests, the Compose file and the Dockerfiles in line with the code:
 * every manifest parses, and ports, probe paths, environment variables and grace periods match
 * what this running service serves and reads. Longer than most classes on purpose: every check reads
 * the same manifests through the same few helpers, and one file shows everything that is held.
 */
@QuarkusTest
class DeploymentManifestsTest {

    private static final Path KUBERNETES = Path.of("deploy", "kubernetes");
    private static final Path COMPOSE = Path.of("deploy", "compose.yaml");
    private static final Path NGINX = Path.of("deploy", "nginx.conf");
    private static final Path KEYCLOAK_REALM = Path.of("deploy", "keycloak", "switchboard-realm.json");
    private static final List<Path> DOCKERFILES = List.of(
            Path.of("src", "main", "docker", "Dockerfile.jvm"), Path.of("src", "main", "docker", "Dockerfile.native"));
    private static final YAMLMapper YAML = new YAMLMapper();

    private final Config config = ConfigProvider.getConfig();

    @Test
    void everyManifestParsesAndTheKustomizationListsExactlyTheManifests() throws IOException {
        Set<String> files = new HashSet<>();
        try (Stream<Path> list = Files.list(KUBERNETES)) {
            list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).forEach(files::add);
        }
        for (String file : files) {
            for (JsonNode document : documents(KUBERNETES.resolve(file))) {
                assertThat(document.path("apiVersion").asText()).as(file + " apiVersion").isNotBlank();
                assertThat(document.path("kind").asText()).as(file + " kind").isNotBlank();
            }
        }
        JsonNode kustomization = single(KUBERNETES.resolve("kustomization.yaml"));
        Set<String> resources = new HashSet<>();
        kustomization.path("resources").forEach(r -> resources.add(r.asText()));
        files.remove("kustomization.yaml");
        // The example Secrets are for the operator to fill in and create, never applied with the rest.
        files.remove("secret.example.yaml");
        assertThat(resources).as("kustomization resources").isEqualTo(files);
        assertThat(kustomization.path("images").findValuesAsText("name")).contains(container().path("image").asText());
        documents(COMPOSE);
    }

    @Test
    void deploymentRunsSeveralNonRootReplicasWithLimitsAndOnlyTmpWritable() {
        JsonNode deployment = manifest("Deployment", "switchboard");
        assertThat(deployment.at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2);
        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        JsonNode container = container();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        for (String kind : List.of("requests", "limits")) {
            assertThat(container.at("/resources/" + kind + "/cpu").asText()).as(kind + " cpu").isNotBlank();
            assertThat(container.at("/resources/" + kind + "/memory").asText()).as(kind + " memory").isNotBlank();
        }
        String tmpVolume = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals("/tmp")) {
                tmpVolume = mount.path("name").asText();
            }
        }
        assertThat(tmpVolume).as("a volume mounted on /tmp").isNotNull();
        boolean emptyDir = false;
        for (JsonNode volume : pod.path("volumes")) {
            emptyDir |= volume.path("name").asText().equals(tmpVolume) && volume.has("emptyDir");
        }
        assertThat(emptyDir).as("/tmp is an emptyDir").isTrue();
    }

    @Test
    void probesCallTheHealthEndpointsThisServiceServes() {
        JsonNode container = container();
        String ready = probePath(container, "readinessProbe");
        String live = probePath(container, "livenessProbe");
        String started = probePath(container, "startupProbe");
        assertThat(Set.of(ready, live, started)).hasSize(3);

        JsonPath readiness = healthy(ready);
        JsonPath liveness = healthy(live);
        healthy(started);
        // Readiness is the probe that follows the database and turns DOWN on shutdown; liveness must not.
        assertThat(readiness.getList("checks.name", String.class))
                .anyMatch(name -> name.contains("Reactive PostgreSQL")).contains("Graceful Shutdown");
        assertThat(liveness.getList("checks.name", String.class)).doesNotContain("Graceful Shutdown")
                .noneMatch(name -> name.contains("PostgreSQL"));
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).isEqualTo("management");
        }
    }

    @Test
    void everyPortReferenceLeadsToThePortTheServiceListensOn() throws IOException {
        int httpPort = Integer.parseInt(prodValue("quarkus.http.port"));
        assertThat(containerPort()).isEqualTo(httpPort);
        int managementPort = Integer.parseInt(prodValue("quarkus.management.port"));
        assertThat(container().at("/ports/1/name").asText()).isEqualTo("management");
        assertThat(container().at("/ports/1/containerPort").asInt()).isEqualTo(managementPort);
        JsonNode deployment = manifest("Deployment", "switchboard");
        assertThat(deployment.at("/spec/template/metadata/annotations/prometheus.io~1port").asInt()).isEqualTo(managementPort);
        assertThat(deployment.at("/spec/template/metadata/annotations/prometheus.io~1path").asText()).satisfies(
                path -> Management.given().get(path).then().statusCode(200));

        JsonNode service = manifest("Service", "switchboard");
        JsonNode servicePort = service.at("/spec/ports/0");
        assertThat(servicePort.path("targetPort").asText()).isEqualTo(httpPortName());
        assertThat(labelsMatch(service.at("/spec/selector"), podLabels())).isTrue();

        JsonNode backend = manifest("Ingress", "switchboard").at("/spec/rules/0/http/paths/0/backend/service");
        assertThat(backend.path("name").asText()).isEqualTo("switchboard");
        assertThat(backend.at("/port/name").asText()).isEqualTo(servicePort.path("name").asText());

        for (Path dockerfile : DOCKERFILES) {
            assertThat(Files.readString(dockerfile)).as(dockerfile.toString())
                    .contains("EXPOSE " + httpPort + " " + managementPort + "\n");
        }
        String nginx = Files.readString(NGINX);
        assertThat(nginx).contains("server switchboard:" + httpPort);
        JsonNode compose = single(COMPOSE);
        assertThat(compose.at("/services/switchboard").isObject()).isTrue();
        Matcher listen = Pattern.compile("listen (\\d+);").matcher(nginx);
        assertThat(listen.find()).isTrue();
        assertThat(compose.at("/services/proxy/ports/0").asText()).endsWith(":" + listen.group(1));
    }

    @Test
    void environmentVariablesNameConfigurationTheServiceReads() throws IOException {
        Set<String> readable = new HashSet<>();
        config.getPropertyNames().forEach(name -> readable.add(environmentName(name)));
        // Read by smallrye-jwt; the tests run in the self-signed mode, where the key location is not set.
        readable.addAll(SelfSignedKeysConfigSourceFactory.ISSUER_VARIABLES);

        Map<String, String> kubernetes = deploymentEnvironment();
        assertThat(kubernetes.keySet()).containsAll(EmbeddedDatabaseConfigSourceFactory.DATASOURCE_VARIABLES)
                .containsAll(SelfSignedKeysConfigSourceFactory.ISSUER_VARIABLES)
                .contains("SWITCHBOARD_EMBEDDED_DATABASE_ENABLED");
        assertThat(readable).as("configuration read by the service").containsAll(kubernetes.keySet());
        assertThat(kubernetes.get("SWITCHBOARD_EMBEDDED_DATABASE_ENABLED")).isEqualTo("false");

        Map<String, String> compose = new HashMap<>();
        single(COMPOSE).at("/services/switchboard/environment").fields()
                .forEachRemaining(e -> compose.put(e.getKey(), e.getValue().asText()));
        assertThat(compose.keySet()).containsAll(EmbeddedDatabaseConfigSourceFactory.DATASOURCE_VARIABLES)
                .containsAll(SelfSignedKeysConfigSourceFactory.ISSUER_VARIABLES);
        assertThat(readable).containsAll(compose.keySet());
    }

    /**
     * Keycloak cannot run here: its realm export is read instead. Its tokens must carry what the service checks:
     * the audience the manifests configure, the admin role in the claim roles are read from, and an email.
     */
    @Test
    void theKeycloakRealmIssuesTokensTheServiceAccepts() throws IOException {
        JsonNode realm = new ObjectMapper().readTree(KEYCLOAK_REALM.toFile());
        String issuerPath = "/realms/" + realm.path("realm").asText();
        assertThat(realm.path("enabled").asBoolean()).isTrue();
        assertThat(realm.at("/roles/realm").findValuesAsText("name")).contains(Roles.ADMIN);

        Map<String, String> kubernetes = deploymentEnvironment();
        Map<String, String> compose = new HashMap<>();
        single(COMPOSE).at("/services/switchboard/environment").fields()
                .forEachRemaining(e -> compose.put(e.getKey(), e.getValue().asText()));
        for (Map<String, String> environment : List.of(kubernetes, compose)) {
            assertThat(environment.get("MP_JWT_VERIFY_ISSUER")).endsWith(issuerPath);
            assertThat(environment.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION")).endsWith(issuerPath + "/protocol/openid-connect/certs");
        }
        assertThat(kubernetes.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION")).startsWith(kubernetes.get("MP_JWT_VERIFY_ISSUER"));

        List<JsonNode> mappers = new ArrayList<>();
        realm.path("clients").forEach(client -> client.path("protocolMappers").forEach(mappers::add));
        assertThat(mappers).filteredOn(m -> m.path("protocolMapper").asText().equals("oidc-audience-mapper"))
                .extracting(m -> m.at("/config/included.custom.audience").asText())
                .containsOnly(kubernetes.get("MP_JWT_VERIFY_AUDIENCES"), compose.get("MP_JWT_VERIFY_AUDIENCES"));
        assertThat(mappers).filteredOn(m -> m.path("protocolMapper").asText().equals("oidc-usermodel-realm-role-mapper"))
                .singleElement().satisfies(m -> {
                    assertThat(m.at("/config/claim.name").asText()).isEqualTo(config.getValue("smallrye.jwt.path.groups", String.class));
                    assertThat(m.at("/config/access.token.claim").asText()).isEqualTo("true");
                });
        assertThat(mappers).filteredOn(m -> m.at("/config/claim.name").asText().equals("email"))
                .singleElement().satisfies(m -> assertThat(m.at("/config/access.token.claim").asText()).isEqualTo("true"));

        JsonNode keycloak = single(COMPOSE).at("/services/keycloak");
        assertThat(keycloak.path("command").toString()).contains("--import-realm");
        assertThat(keycloak.path("volumes").toString()).contains("./keycloak/" + KEYCLOAK_REALM.getFileName());
        assertThat(keycloak.at("/environment/KC_HOSTNAME").asText() + issuerPath).isEqualTo(compose.get("MP_JWT_VERIFY_ISSUER"));
    }

    @Test
    void terminationGraceOutlastsTheShutdownDelayAndTimeout() throws IOException {
        Map<String, String> environment = deploymentEnvironment();
        Duration delay = duration(environment.get("QUARKUS_SHUTDOWN_DELAY"), "quarkus.shutdown.delay");
        Duration timeout = duration(environment.get("QUARKUS_SHUTDOWN_TIMEOUT"), "quarkus.shutdown.timeout");
        assertThat(delay).as("readiness DOWN for longer than two readiness periods")
                .isGreaterThan(Duration.ofSeconds(2L * container().at("/readinessProbe/periodSeconds").asInt()));
        Duration grace = Duration.ofSeconds(manifest("Deployment", "switchboard")
                .at("/spec/template/spec/terminationGracePeriodSeconds").asLong());
        assertThat(grace).isGreaterThan(delay.plus(timeout));

        // Compose uses the service's own (prod profile) settings.
        Duration composeGrace = DurationConverter.parseDuration(
                single(COMPOSE).at("/services/switchboard/stop_grace_period").asText());
        assertThat(composeGrace).isGreaterThan(prodDuration("quarkus.shutdown.delay")
                .plus(prodDuration("quarkus.shutdown.timeout")));
    }

    @Test
    void theOperatorProvidesTheSecretsAndTheServiceConnectsAsNoSuperuser() throws IOException {
        JsonNode kustomization = single(KUBERNETES.resolve("kustomization.yaml"));
        for (JsonNode resource : kustomization.path("resources")) {
            for (JsonNode document : documents(KUBERNETES.resolve(resource.asText()))) {
                assertThat(document.path("kind").asText()).as(resource.asText() + " applies no Secret").isNotEqualTo("Secret");
            }
        }
        assertThat(kustomization.at("/configMapGenerator/0/files/0").asText()).isEqualTo("postgres-init.sh");
        assertThat(Files.readString(KUBERNETES.resolve("postgres-init.sh")))
                .contains("LOGIN NOSUPERUSER").contains("CREATE DATABASE switchboard OWNER");
        JsonNode postgres = manifest("StatefulSet", "switchboard-postgres").at("/spec/template/spec/containers/0");
        assertThat(postgres.path("env").findValuesAsText("name")).contains("SWITCHBOARD_DB_USER", "SWITCHBOARD_DB_PASSWORD");
        assertThat(postgres.path("volumeMounts").findValuesAsText("mountPath")).contains("/docker-entrypoint-initdb.d");
        assertThat(Files.readString(NGINX)).as("the Host with its port, which the chat's Origin check compares")
                .contains("proxy_set_header Host $http_host;");
    }

    @Test
    void everyReplicaTheAutoscalerMayRunFitsWithinPostgresConnectionLimit() {
        JsonNode postgres = manifest("StatefulSet", "switchboard-postgres").at("/spec/template/spec/containers/0");
        Matcher setting = Pattern.compile("max_connections=(\\d+)").matcher(postgres.path("args").toString());
        assertThat(setting.find()).as("postgres states its max_connections").isTrue();
        int reserved = 3; // superuser_reserved_connections' default
        int replicas = manifest("HorizontalPodAutoscaler", "switchboard").at("/spec/maxReplicas").asInt()
                + manifest("Deployment", "switchboard").at("/spec/strategy/rollingUpdate/maxSurge").asInt();
        int pool = Integer.parseInt(deploymentEnvironment().get("SWITCHBOARD_DATABASE_POOL_SIZE"));
        int flyway = config.getValue("quarkus.datasource.jdbc.max-size", Integer.class);
        assertThat(replicas * (pool + 1 + flyway)).as("replicas x (pool + chat listener + Flyway)")
                .isLessThanOrEqualTo(Integer.parseInt(setting.group(1)) - reserved);
    }

    @Test
    void postgresKeepsItsDataOnAVolumeAndIsWhereTheDatasourcePoints() {
        JsonNode statefulSet = manifest("StatefulSet", "switchboard-postgres");
        assertThat(statefulSet.at("/spec/volumeClaimTemplates/0/metadata/name").asText()).isNotBlank();
        String url = deploymentEnvironment().get("QUARKUS_DATASOURCE_REACTIVE_URL");
        Matcher hostPort = Pattern.compile("postgresql://([^:/]+):(\\d+)/\\w+").matcher(url);
        assertThat(hostPort.matches()).as(url).isTrue();
        JsonNode service = manifest("Service", hostPort.group(1));
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(Integer.parseInt(hostPort.group(2)));
        assertThat(labelsMatch(service.at("/spec/selector"), statefulSet.at("/spec/template/metadata/labels"))).isTrue();
        assertThat(statefulSet.at("/spec/serviceName").asText()).isEqualTo(hostPort.group(1));
    }

    @Test
    void autoscalerAndDisruptionBudgetKeepSeveralReplicasOfTheDeployment() {
        JsonNode hpa = manifest("HorizontalPodAutoscaler", "switchboard");
        assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("switchboard");
        assertThat(hpa.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.at("/spec/maxReplicas").asInt()).isGreaterThan(hpa.at("/spec/minReplicas").asInt());
        JsonNode pdb = manifest("PodDisruptionBudget", "switchboard");
        assertThat(labelsMatch(pdb.at("/spec/selector/matchLabels"), podLabels())).isTrue();
        assertThat(pdb.at("/spec/minAvailable").asInt()).isBetween(1, hpa.at("/spec/minReplicas").asInt() - 1);
        JsonNode ingress = manifest("Ingress", "switchboard");
        assertThat(ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-read-timeout").asInt())
                .as("WebSockets outlive the ingress' read timeout").isGreaterThanOrEqualTo(3600);
    }

    @Test
    void imagesRunAsNonRootWithoutTheEmbeddedDatabaseAndTheirContextHoldsWhatTheyCopy() throws IOException {
        List<String> included = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(".dockerignore"))) {
            if (line.startsWith("!")) {
                included.add(line.substring(1));
            }
        }
        Pattern copy = Pattern.compile("^COPY (?!--from)(?:--\\S+ )*(\\S+) \\S+$", Pattern.MULTILINE);
        for (Path dockerfile : DOCKERFILES) {
            String text = Files.readString(dockerfile);
            // Both ship the image build, which has no embedded database (ImageBuildIT checks that build itself).
            assertThat(text).as(dockerfile.toString()).containsAnyOf("./mvnw -B package -Pimage ", "COPY --chown=185 target/image/");
            assertThat(text).as(dockerfile.toString()).doesNotContain("target/quarkus-app");
            Matcher users = Pattern.compile("^USER (\\S+)$", Pattern.MULTILINE).matcher(text);
            String user = null;
            while (users.find()) {
                user = users.group(1);
            }
            assertThat(user).as(dockerfile + " runs as a numeric non-root user").matches("[1-9][0-9]*");
            Matcher sources = copy.matcher(text);
            int copies = 0;
            while (sources.find()) {
                String source = sources.group(1);
                copies++;
                assertThat(included).as(dockerfile + " copies " + source + ", which .dockerignore must let in")
                        .anyMatch(prefix -> source.startsWith(prefix) || (source + "/").equals(prefix));
            }
            assertThat(copies).isPositive();
        }
    }

    // --- helpers ------------------------------------------------------------------------------

    private static List<JsonNode> documents(Path file) {
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            List<JsonNode> documents = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(document -> {
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            });
            assertThat(documents).as(file + " has documents").isNotEmpty();
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + file, e);
        }
    }

    private static JsonNode single(Path file) {
        List<JsonNode> documents = documents(file);
        assertThat(documents).hasSize(1);
        return documents.get(0);
    }

    private static JsonNode manifest(String kind, String name) {
        JsonNode found = null;
        try (Stream<Path> list = Files.list(KUBERNETES)) {
            for (Path file : list.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                for (JsonNode document : documents(file)) {
                    if (document.path("kind").asText().equals(kind) && document.at("/metadata/name").asText().equals(name)) {
                        assertThat(found).as("one " + kind + " " + name).isNull();
                        found = document;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(found).as(kind + " " + name).isNotNull();
        return found;
    }

    private static JsonNode container() {
        JsonNode containers = manifest("Deployment", "switchboard").at("/spec/template/spec/containers");
        assertThat(containers.size()).isEqualTo(1);
        return containers.get(0);
    }

    private static JsonNode podLabels() {
        return manifest("Deployment", "switchboard").at("/spec/template/metadata/labels");
    }

    private static String httpPortName() {
        return container().at("/ports/0/name").asText();
    }

    private static int containerPort() {
        return container().at("/ports/0/containerPort").asInt();
    }

    private static String probePath(JsonNode container, String probe) {
        String path = container.at("/" + probe + "/httpGet/path").asText();
        assertThat(path).as(probe).startsWith("/");
        return path;
    }

    private static JsonPath healthy(String path) {
        return Management.given().get(path).then().statusCode(200).body("status", equalTo("UP")).extract().jsonPath();
    }

    private static boolean labelsMatch(JsonNode selector, JsonNode labels) {
        if (!selector.isObject() || selector.isEmpty()) {
            return false;
        }
        var fields = selector.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            if (!entry.getValue().asText().equals(labels.path(entry.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    /** The service container's environment: its own entries plus every key of the ConfigMaps and Secrets it loads. */
    private static Map<String, String> deploymentEnvironment() {
        Map<String, String> environment = new HashMap<>();
        JsonNode container = container();
        for (JsonNode source : container.path("envFrom")) {
            if (source.has("configMapRef")) {
                manifest("ConfigMap", source.at("/configMapRef/name").asText()).path("data").fields()
                        .forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
            }
            if (source.has("secretRef")) {
                JsonNode secret = manifest("Secret", source.at("/secretRef/name").asText());
                secret.path("stringData").fields().forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText()));
                secret.path("data").fieldNames().forEachRemaining(name -> environment.put(name, ""));
            }
        }
        for (JsonNode variable : container.path("env")) {
            environment.put(variable.path("name").asText(), variable.path("value").asText(""));
        }
        return environment;
    }

    private static Duration duration(String fromEnvironment, String property) throws IOException {
        return fromEnvironment != null ? DurationConverter.parseDuration(fromEnvironment) : prodDuration(property);
    }

    private static Duration prodDuration(String property) throws IOException {
        return DurationConverter.parseDuration(prodValue(property));
    }

    /**
     * A setting as the packaged service sees it without environment overrides: application.properties
     * (prod profile first), else Quarkus' default, which sits in the lowest-ordinal config source.
     * The test profile's own values (a random HTTP port, a short shutdown delay) are not it.
     */
    private static String prodValue(String property) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        String value = properties.getProperty("%prod." + property, properties.getProperty(property));
        if (value == null) {
            value = StreamSupport.stream(ConfigProvider.getConfig().getConfigSources().spliterator(), false)
                    .filter(source -> source.getValue(property) != null)
                    .min(Comparator.comparingInt(ConfigSource::getOrdinal))
                    .map(source -> source.getValue(property)).orElse(null);
        }
        assertThat(value).as(property).isNotNull();
        return value;
    }

    /** The environment variable SmallRye Config maps to a property (quarkus.http.port: QUARKUS_HTTP_PORT). */
    private static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
