package dev.switchboard.identity;

import static dev.switchboard.support.Tokens.asAdmin;
import static dev.switchboard.support.Tokens.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;

/** The rules of the HTTP API, one by one, with tokens signed like the self-signed mode's and broken on purpose. */
@QuarkusTest
class AccessRulesTest {

    private static final Map<String, Object> PRODUCT = Map.of("name", "Guarded", "priceCents", 100, "stock", 10);

    private static ValidatableResponse createProduct(RequestSpecification as) {
        return as.contentType(ContentType.JSON).body(PRODUCT).post("/api/products").then();
    }

    private static void refusedAsInvalid(String token) {
        with(token).get("/api/users").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .body("status", equalTo(401), "detail", equalTo("The bearer token is not valid"));
    }

    private static long createUser(String email) {
        return asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Owner", "email", email))
                .post("/api/users").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static long createProduct() {
        return createProduct(asAdmin()).statusCode(201).extract().jsonPath().getLong("id");
    }

    private static Map<String, Object> order(long userId, long productId) {
        return Map.of("userId", userId, "items", List.of(Map.of("productId", productId, "quantity", 1)));
    }

    private static String email() {
        return "owner-" + UUID.randomUUID() + "@example.com";
    }

    @Test
    void aWriteWithoutATokenIsAskedForOne() {
        createProduct(given()).statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401), "title", equalTo("Unauthorized"));
        given().header("If-Match", "*").delete("/api/users/1").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().get("/api/users").then().statusCode(401);
        given().get("/api/orders").then().statusCode(401);
    }

    @Test
    void publicReadsNeedNoToken() {
        given().get("/api/products").then().statusCode(200);
        given().get("/api/products/{id}", createProduct()).then().statusCode(200);
        given().get("/api/dashboard").then().statusCode(200);
        given().get("/api/rooms").then().statusCode(200);
        given().get("/api/rooms/lobby/messages").then().statusCode(200);
        given().get("/api/greet?name=a&delayMs=0").then().statusCode(200);
        given().get("/api/aggregate?source=fast").then().statusCode(200);
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        refusedAsInvalid(Tokens.claims().groups(Roles.ADMIN).sign(generator.generateKeyPair().getPrivate()));
    }

    @Test
    void expiredAndNotYetValidTokensAreRefusedBeyondTheSkew() {
        Instant now = Instant.now();
        refusedAsInvalid(Tokens.sign(Tokens.claims().groups(Roles.ADMIN)
                .issuedAt(now.minusSeconds(600)).expiresAt(now.minusSeconds(120))));
        refusedAsInvalid(Tokens.sign(Tokens.claims().groups(Roles.ADMIN).claim("nbf", now.plusSeconds(120).getEpochSecond())));
        // Within the allowed skew (30 s) the token still passes.
        with(Tokens.sign(Tokens.claims().groups(Roles.ADMIN).issuedAt(now.minusSeconds(60)).expiresAt(now.minusSeconds(5))))
                .get("/api/users").then().statusCode(200);
    }

    @Test
    void aTokenForAnotherIssuerOrAudienceIsRefused() {
        refusedAsInvalid(Tokens.sign(Tokens.claims().issuer("https://elsewhere.example").groups(Roles.ADMIN)));
        refusedAsInvalid(Tokens.sign(Tokens.claims().audience("another-service").groups(Roles.ADMIN)));
        // The same claims with the right issuer and audience pass: the refusals above are theirs.
        with(Tokens.sign(Tokens.claims().groups(Roles.ADMIN))).get("/api/users").then().statusCode(200);
    }

    @Test
    void unsignedAndHmacTokensAreRefused() {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String claims = "{\"iss\":\"switchboard-local\",\"aud\":\"switchboard\",\"sub\":\"x\",\"groups\":[\"switchboard-admin\"],"
                + "\"exp\":" + Instant.now().plusSeconds(600).getEpochSecond() + "}";
        refusedAsInvalid(base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".");
        // The classic confusion: the public key, which anyone may read, used as an HMAC secret.
        byte[] publicKey = Tokens.keys().publicPem().getBytes(StandardCharsets.US_ASCII);
        refusedAsInvalid(Tokens.claims().groups(Roles.ADMIN).jws().algorithm(SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(publicKey, "HmacSHA256")));
    }

    @Test
    void writesNeedTheAdminRole() {
        createProduct(with(Tokens.user(email()))).statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403), "title", equalTo("Forbidden"));
        with(Tokens.user(email())).contentType(ContentType.JSON).body(Map.of("name", "Me", "email", email()))
                .post("/api/users").then().statusCode(403);
        createProduct(asAdmin()).statusCode(201);
    }

    @Test
    void aGuestTokenReadsButNeverWrites() {
        String guest = given().contentType(ContentType.JSON).body(Map.of("name", "Ada")).post("/api/auth/guest")
                .then().statusCode(200).extract().path("token");
        with(guest).get("/api/products").then().statusCode(200);
        createProduct(with(guest)).statusCode(403);
        long user = createUser(email());
        with(guest).contentType(ContentType.JSON).body(order(user, createProduct())).post("/api/orders").then().statusCode(403);
        with(guest).get("/api/orders").then().statusCode(403);
        with(guest).get("/api/users/{id}", user).then().statusCode(403);
    }

    @Test
    void aUserReadsItselfAndNobodyElse() {
        String mine = email();
        long me = createUser(mine);
        long other = createUser(email());
        String token = Tokens.user(mine);
        with(token).get("/api/users/{id}", me).then().statusCode(200).body("email", equalTo(mine));
        with(token).get("/api/users/{id}", other).then().statusCode(403);
        // A missing user looks the same as someone else's: ids tell nothing.
        with(token).get("/api/users/{id}", 999_999_999).then().statusCode(403);
        asAdmin().get("/api/users/{id}", 999_999_999).then().statusCode(404);
        with(token).get("/api/users").then().statusCode(403);
    }

    @Test
    void aUserPlacesListsAndReadsOnlyItsOwnOrders() {
        String mine = email();
        long me = createUser(mine);
        long other = createUser(email());
        long product = createProduct();
        String token = Tokens.user(mine);

        long own = with(token).contentType(ContentType.JSON).body(order(me, product)).post("/api/orders")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        with(token).contentType(ContentType.JSON).body(order(other, product)).post("/api/orders").then().statusCode(403);
        long theirs = asAdmin().contentType(ContentType.JSON).body(order(other, product)).post("/api/orders")
                .then().statusCode(201).extract().jsonPath().getLong("id");

        with(token).get("/api/orders/{id}", own).then().statusCode(200).body("userId", equalTo((int) me));
        with(token).get("/api/orders/{id}", theirs).then().statusCode(403);
        with(token).get("/api/orders").then().statusCode(200).body("items.userId", everyItem(equalTo((int) me)))
                .body("items.id", equalTo(List.of((int) own)));
        with(token).get("/api/orders?userId={id}", me).then().statusCode(200).body("items.id", equalTo(List.of((int) own)));
        with(token).get("/api/orders?userId={id}", other).then().statusCode(403);
        asAdmin().get("/api/orders?userId={id}", other).then().statusCode(200).body("items.id", equalTo(List.of((int) theirs)));
    }

    @Test
    void anInvalidTokenIsRefusedWhereTheAnswerDependsOnIt() {
        String expired = Tokens.sign(Tokens.claims().groups(Roles.ADMIN)
                .issuedAt(Instant.now().minusSeconds(600)).expiresAt(Instant.now().minusSeconds(300)));
        with(expired).get("/api/dashboard").then().statusCode(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        // A public read that does not depend on the caller ignores it.
        with(expired).get("/api/products").then().statusCode(200);
    }

    @Test
    void theDashboardShowsEmailsToAdminsOnly() {
        String email = email();
        long user = createUser(email);
        for (String token : List.of("", Tokens.user(email))) {
            Map<String, Object> newest = (token.isEmpty() ? given() : with(token)).get("/api/dashboard?limit=1")
                    .then().statusCode(200).extract().jsonPath().getMap("newest.users[0]");
            assertThat(newest).containsEntry("id", (int) user).doesNotContainKey("email");
        }
        assertThat(asAdmin().get("/api/dashboard?limit=1").then().statusCode(200).extract().jsonPath()
                .getMap("newest.users[0]")).containsEntry("id", (int) user).containsEntry("email", email);
    }

    @Test
    void theAggregateCallsThisServiceWithTheCallersTokenAndOthersWithout() {
        String email = email();
        createUser(email);
        var anonymous = given().get("/api/aggregate?source=self-users&source=self-orders&source=self-users-cached&source=external-headers")
                .then().statusCode(200).extract().jsonPath();
        assertThat(anonymous.getList("sources.findAll { it.name.startsWith('self-') }.status")).containsOnly(401);
        assertThat(anonymous.getMap("sources.find { it.name == 'external-headers' }.body")).containsEntry("authorization", null);

        var admin = asAdmin().get("/api/aggregate?source=self-users&source=self-users-cached&source=external-headers")
                .then().statusCode(200).extract().jsonPath();
        assertThat(admin.getList("sources.findAll { it.name.startsWith('self-users') }.outcome")).containsOnly("ok");
        assertThat(admin.getList("sources.find { it.name == 'self-users' }.body.items.email", String.class)).isNotEmpty()
                .doesNotContainNull();
        assertThat(admin.getMap("sources.find { it.name == 'external-headers' }.body")).containsEntry("authorization", null);

        // The admin's answer is the admin's alone: an anonymous caller after it is still refused, cache or not.
        var after = given().get("/api/aggregate?source=self-users-cached").then().statusCode(502).extract().jsonPath();
        assertThat(after.getList("sources.status")).containsOnly(401);

        var user = with(Tokens.user(email)).get("/api/aggregate?source=self-users&source=self-orders")
                .then().extract().jsonPath();
        assertThat(user.getInt("sources.find { it.name == 'self-users' }.status")).isEqualTo(403);
        assertThat(user.getString("sources.find { it.name == 'self-orders' }.outcome")).isEqualTo("ok");
    }
}
