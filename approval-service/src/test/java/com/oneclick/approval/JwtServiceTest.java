package com.oneclick.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.oneclick.approval.queue.ReplayProgress;
import com.oneclick.model.RequestIds;
import com.oneclick.model.Topics;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.testsupport.KafkaSupport;
import com.oneclick.testsupport.KafkaTestClient;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code oneclick.approval.auth=jwt}: tokens signed here with a fresh RSA key whose public half
 * is served as a JWK set by a real HTTP server on 127.0.0.1; roles from a nested claim.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class JwtServiceTest {

    private static final String ISSUER = "https://idp.example.test/realms/oneclick";
    private static final RSAKey KEY = rsaKey("idp-key-1");
    private static final RSAKey OTHER_KEY = rsaKey("idp-key-1");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer jwks;

    @DynamicPropertySource
    static void configure(DynamicPropertyRegistry registry) throws IOException {
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jwks.start();
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaSupport::bootstrapServers);
        registry.add("oneclick.approval.auth", () -> "jwt");
        registry.add("oneclick.approval.jwt.roles-claim", () -> "realm_access.roles");
        registry.add("oneclick.approval.approver-emails[0]", () -> "approvers@example.com");
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                () -> "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks");
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> ISSUER);
    }

    @AfterAll
    static void stopJwks() {
        jwks.stop(0);
    }

    @LocalServerPort
    int port;

    @Autowired
    ReplayProgress replay;

    @BeforeEach
    void caughtUp() {
        await().atMost(Duration.ofSeconds(30)).until(replay::caughtUp);
    }

    @Test
    void validTokenWithTheApproverRoleApprovesAndTheEventCarriesItsIdentity() {
        // given
        String id = pendingRequest("dev@example.com");
        String token = token(KEY, "dana", "dana@example.com", List.of("approver"), Instant.now().plusSeconds(300));

        // when
        Response response = post("/api/approvals/" + id + "/approve", "{\"comment\":\"ok\"}", token);

        // then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("decidedBy").asText()).isEqualTo("dana");
        assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).singleElement().satisfies(record ->
                assertThat(KafkaTestClient.decode(record)).isInstanceOfSatisfying(RequestApproved.class, event ->
                        assertThat(event.approvedBy()).isEqualTo("dana")));
    }

    @Test
    void tokensSignedByAnotherKeyExpiredOrMissingAre401AndNothingIsPublished() {
        // given
        String id = pendingRequest("dev@example.com");
        String forged = token(OTHER_KEY, "mallory", "m@example.com", List.of("approver"), Instant.now().plusSeconds(300));
        String expired = token(KEY, "dana", "dana@example.com", List.of("approver"), Instant.now().minusSeconds(600));

        // when
        Response wrongSignature = post("/api/approvals/" + id + "/approve", "{}", forged);
        Response tooOld = post("/api/approvals/" + id + "/approve", "{}", expired);
        Response none = post("/api/approvals/" + id + "/approve", "{}", null);
        Response basic = send(HttpRequest.newBuilder(uri("/api/approvals")).header("Authorization",
                "Basic YWxpY2U6YWxpY2Utc2VjcmV0LTE=").GET());

        // then
        for (Response response : List.of(wrongSignature, tooOld, none, basic)) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.wwwAuthenticate()).startsWith("Bearer");
        }
        assertThat(wrongSignature.wwwAuthenticate()).contains("invalid_token");
        assertThat(tooOld.json().path("detail").asText()).contains("expired");
        assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).isEmpty();
    }

    @Test
    void tokenWithoutTheApproverRoleMayReadButNotDecide() {
        // given
        String id = pendingRequest("dev@example.com");
        String reader = token(KEY, "rita", "rita@example.com", List.of("viewer"), Instant.now().plusSeconds(300));

        // when
        Response read = get("/api/approvals/" + id, reader);
        Response decide = post("/api/approvals/" + id + "/reject", "{\"reason\":\"no\"}", reader);

        // then
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("status").asText()).isEqualTo("PENDING");
        assertThat(decide.status()).isEqualTo(403);
        assertThat(decide.contentType()).startsWith("application/problem+json");
        assertThat(KafkaTestClient.recordsFor(Topics.REJECTED, id)).isEmpty();
    }

    @Test
    void theTokensEmailRecognisesTheApproversOwnRequest() {
        // given
        String id = pendingRequest("dana@example.com");
        String dana = token(KEY, "dana", "Dana@Example.com", List.of("approver"), Instant.now().plusSeconds(300));
        String noEmail = token(KEY, "erin", null, List.of("approver"), Instant.now().plusSeconds(300));

        // when
        Response own = post("/api/approvals/" + id + "/approve", "{}", dana);
        Response anonymous = post("/api/approvals/" + id + "/approve", "{}", noEmail);

        // then
        assertThat(own.status()).isEqualTo(403);
        assertThat(anonymous.status()).isEqualTo(403);
        assertThat(anonymous.json().path("detail").asText()).contains("no email");
        assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).isEmpty();
    }

    private String pendingRequest(String requester) {
        String id = RequestIds.newId();
        KafkaTestClient.publish(RequestSubmitted.of(id, Requests.byRequester("jwt-" + requester, requester)));
        String reader = token(KEY, "rita", "rita@example.com", List.of(), Instant.now().plusSeconds(300));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/approvals/" + id, reader).status() == 200);
        return id;
    }

    private static String token(RSAKey key, String user, String email, List<String> roles, Instant expires) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("sub-" + user)
                .claim("preferred_username", user).claim("realm_access", Map.of("roles", roles))
                .issueTime(Date.from(expires.minusSeconds(900))).expirationTime(Date.from(expires));
        if (email != null) {
            claims.claim("email", email);
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsaKey(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response get(String path, String token) {
        return send(authorized(HttpRequest.newBuilder(uri(path)), token).GET());
    }

    private Response post(String path, String json, String token) {
        return send(authorized(HttpRequest.newBuilder(uri(path)), token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder builder, String token) {
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("WWW-Authenticate").orElse(""), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Response(int status, String contentType, String wwwAuthenticate, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }
}
