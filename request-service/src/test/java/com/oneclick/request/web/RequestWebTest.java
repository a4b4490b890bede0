package com.oneclick.request.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.Topics;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.request.intake.IdempotencyKeys;
import com.oneclick.testsupport.KafkaSupport;
import com.oneclick.testsupport.KafkaTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The web layer against a real Kafka broker: the idempotency rules of {@code POST /api/requests}
 * and their error format, the form's one-time token, CSRF, key material, the security headers,
 * escaping and the OpenAPI document.
 */
// its own consumer group: applications of other test classes may still run in this JVM
@SpringBootTest(properties = "spring.cloud.stream.bindings.statusView-in-0.group=oneclick-request-status-web-test")
@AutoConfigureMockMvc
@DirtiesContext
class RequestWebTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaSupport::bootstrapServers);
    }

    @Autowired
    MockMvc mvc;

    // --- REST: Idempotency-Key -------------------------------------------------------------

    @Test
    void sameKeyAndSameRequestAnswerTheFirstRequestAndPublishOnce() throws Exception {
        // given
        String key = UUID.randomUUID().toString();
        String name = "idem-" + UUID.randomUUID();
        MockHttpServletResponse first = send(api(key).content(json(name)));

        // when the client retries, even with different white space
        MockHttpServletResponse second = send(api(key).content(json(name).replace("\"  " + name, "\"" + name)));

        // then
        assertThat(first.getStatus()).isEqualTo(201);
        assertThat(second.getStatus()).isEqualTo(200);
        String id = body(first).get("requestId").asText();
        assertThat(id).isEqualTo(IdempotencyKeys.requestId("dev@example.com", key));
        assertThat(body(second).get("requestId").asText()).isEqualTo(id);
        assertThat(body(second).get("status").asText()).isEqualTo("SUBMITTED");
        assertThat(second.getHeader("Location")).endsWith("/api/requests/" + id);
        assertThat(second.getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(KafkaTestClient.recordsFor(Topics.REQUESTED, id)).hasSize(1);
    }

    @Test
    void sameKeyWithAnotherRequestIs422ProblemAndPublishesNothing() throws Exception {
        // given
        String key = UUID.randomUUID().toString();
        String name = "idem-first-" + UUID.randomUUID();
        String id = body(send(api(key).content(json(name)))).get("requestId").asText();

        // when
        MockHttpServletResponse reused = send(api(key).content(json("idem-other-" + UUID.randomUUID())));

        // then
        assertThat(reused.getStatus()).isEqualTo(422);
        assertThat(reused.getContentType()).startsWith("application/problem+json");
        JsonNode problem = body(reused);
        assertThat(problem.get("status").asInt()).isEqualTo(422);
        assertThat(problem.get("title").asText()).isEqualTo("Idempotency key reused");
        assertThat(problem.get("detail").asText()).contains("different request").contains("new key");
        assertThat(problem.get("instance").asText()).isEqualTo("/api/requests");
        assertThat(KafkaTestClient.recordsFor(Topics.REQUESTED, id)).singleElement().satisfies(record ->
                assertThat(((RequestSubmitted) KafkaTestClient.decode(record)).request().name()).isEqualTo(name));
    }

    @Test
    void malformedKeyIs400NamingTheHeader() throws Exception {
        // given a key with a space and one too long
        for (String key : List.of("two words", "k".repeat(256))) {
            // when
            MockHttpServletResponse response = send(api(key).content(json("bad-key-" + UUID.randomUUID())));

            // then
            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(response.getContentType()).startsWith("application/problem+json");
            assertThat(body(response).get("errors")).singleElement().satisfies(error -> {
                assertThat(error.get("field").asText()).isEqualTo("Idempotency-Key");
                assertThat(error.get("message").asText()).contains("1 to 255 visible ASCII characters");
            });
        }
    }

    @Test
    void refusedRequestDoesNotUseUpItsKey() throws Exception {
        // given a first try with a bad field
        String key = UUID.randomUUID().toString();
        String name = "fixed-" + UUID.randomUUID();
        MockHttpServletResponse refused = send(api(key).content(json(name).replace("vpc-0a1b2c3d", "vpc-nothex")));

        // when the client corrects it and sends it with the same key
        MockHttpServletResponse accepted = send(api(key).content(json(name)));

        // then
        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(body(refused).get("errors").get(0).get("field").asText()).isEqualTo("vpcId");
        assertThat(accepted.getStatus()).isEqualTo(201);
        assertThat(body(accepted).get("requestId").asText()).isEqualTo(IdempotencyKeys.requestId("dev@example.com", key));
    }

    // --- the form ----------------------------------------------------------------------------

    @Test
    void formPostWithoutCsrfTokenIsRefusedAndPublishesNothing() throws Exception {
        // given
        String name = "no-csrf-" + UUID.randomUUID();

        // when
        MockHttpServletResponse response = send(form(UUID.randomUUID().toString(), name));

        // then
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(KafkaTestClient.readAll(Topics.REQUESTED).stream()
                .map(r -> ((RequestSubmitted) KafkaTestClient.decode(r)).request().name())).doesNotContain(name);
    }

    @Test
    void formSentTwiceWithItsTokenMakesOneRequest() throws Exception {
        // given
        String token = formToken();
        String name = "double-click-" + UUID.randomUUID();

        // when
        MockHttpServletResponse first = send(form(token, name).with(csrf()));
        MockHttpServletResponse second = send(form(token, name).with(csrf()));

        // then
        assertThat(first.getStatus()).isEqualTo(303);
        assertThat(first.getRedirectedUrl()).matches("/requests/[0-9a-f-]{36}");
        assertThat(second.getStatus()).isEqualTo(303);
        assertThat(second.getRedirectedUrl()).isEqualTo(first.getRedirectedUrl());
        String id = first.getRedirectedUrl().substring("/requests/".length());
        assertThat(KafkaTestClient.recordsFor(Topics.REQUESTED, id)).hasSize(1);
    }

    @Test
    void formTokenSentAgainWithOtherValuesPointsToTheEarlierRequestAndOffersANewToken() throws Exception {
        // given
        String token = formToken();
        String id = send(form(token, "first-" + UUID.randomUUID()).with(csrf())).getRedirectedUrl()
                .substring("/requests/".length());

        // when
        MockHttpServletResponse again = send(form(token, "changed-" + UUID.randomUUID()).with(csrf()));

        // then
        assertThat(again.getStatus()).isEqualTo(409);
        String page = again.getContentAsString();
        assertThat(page).contains("This form had already been sent").contains("href=\"/requests/" + id + "\"");
        assertThat(hiddenToken(page)).isNotEqualTo(token);
        assertThat(KafkaTestClient.recordsFor(Topics.REQUESTED, id)).hasSize(1);
    }

    @Test
    void privateKeyInTheFormIsRefusedWithAnExplanationAndNeverShownAgain() throws Exception {
        // given a key pasted as the key pair name and another in a tag value
        String pem = "-----BEGIN OPENSSH PRIVATE KEY-----b3BlbnNzaC1rZXktdjEAAAAABG5vbmU-----END OPENSSH PRIVATE KEY-----";
        String name = "keyed-" + UUID.randomUUID();

        // when
        MockHttpServletResponse response = send(form(formToken(), name, "keyName", pem,
                "tags[0].key", "note", "tags[0].value", pem).with(csrf()));

        // then
        assertThat(response.getStatus()).isEqualTo(400);
        String page = response.getContentAsString();
        assertThat(page).contains("id=\"keyName-error\"").contains("looks like a private key")
                .contains("id=\"tag-0-error\"").contains("Never paste key material");
        assertThat(page).doesNotContain("BEGIN OPENSSH").doesNotContain("b3BlbnNzaC1rZXktdjEAAAAABG5vbmU");
        assertThat(page).contains("value=\"" + name + "\"");
        assertThat(KafkaTestClient.readAll(Topics.REQUESTED).stream()
                .map(r -> ((RequestSubmitted) KafkaTestClient.decode(r)).request().name())).doesNotContain(name);
    }

    @Test
    void operatingSystemWithoutAnImageForTheRegionIsExplainedAtTheChoice() throws Exception {
        // when
        MockHttpServletResponse response = send(form(formToken(), "os-" + UUID.randomUUID(),
                "region", "ap-south-1").with(csrf()));

        // then
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentAsString()).contains("id=\"image-error\"")
                .contains("no Amazon Linux 2023 image is configured for ap-south-1");
    }

    // --- the time-to-live ---------------------------------------------------------------------

    @Test
    void timeToLiveFromTheFormTravelsWithTheRequestAndShowsOnItsPage() throws Exception {
        // given
        String name = "ttl-" + UUID.randomUUID();

        // when
        MockHttpServletResponse response = send(form(formToken(), name, "timeToLiveHours", " 168 ").with(csrf()));

        // then
        assertThat(response.getStatus()).isEqualTo(303);
        String id = response.getRedirectedUrl().substring("/requests/".length());
        RequestSubmitted submitted = (RequestSubmitted) KafkaTestClient.decode(
                KafkaTestClient.recordsFor(Topics.REQUESTED, id).get(0));
        assertThat(submitted.request().timeToLiveHours()).isEqualTo(168);
        String page = send(get("/requests/" + id)).getContentAsString();
        assertThat(page).contains("id=\"time-to-live-value\">168 hours (1 week)</span>")
                .contains("your platform team's clean-up removes it after that date");
        JsonNode progress = body(send(get("/requests/" + id + "/progress")));
        assertThat(progress.get("timeToLive").asText()).isEqualTo("168 hours (1 week)");
        assertThat(progress.get("request").get("timeToLiveHours").asInt()).isEqualTo(168);
    }

    @Test
    void formWithoutATimeToLiveMakesARequestWithoutExpiry() throws Exception {
        // when
        MockHttpServletResponse response = send(form(formToken(), "no-ttl-" + UUID.randomUUID(),
                "timeToLiveHours", "").with(csrf()));

        // then
        assertThat(response.getStatus()).isEqualTo(303);
        String id = response.getRedirectedUrl().substring("/requests/".length());
        RequestSubmitted submitted = (RequestSubmitted) KafkaTestClient.decode(
                KafkaTestClient.recordsFor(Topics.REQUESTED, id).get(0));
        assertThat(submitted.request().timeToLiveHours()).isNull();
        assertThat(send(get("/requests/" + id)).getContentAsString()).contains("none: no expiry");
    }

    @Test
    void timeToLiveOutOfRangeOrNotANumberIsExplainedNextToTheFieldWithTheValuesKept() throws Exception {
        for (String hours : List.of("0", "3000", "a week")) {
            // given
            String name = "bad-ttl-" + UUID.randomUUID();

            // when
            MockHttpServletResponse response = send(form(formToken(), name, "timeToLiveHours", hours,
                    "rootVolumeGiB", "32").with(csrf()));

            // then
            assertThat(response.getStatus()).as("time-to-live %s", hours).isEqualTo(400);
            String page = response.getContentAsString();
            String message = hours.equals("a week") ? FormMapping.NOT_A_NUMBER_OF_HOURS
                    : "must be between 1 and 2160 hours (90 days)";
            assertThat(page).as("time-to-live %s", hours)
                    .contains("<p class=\"error\" id=\"timeToLiveHours-error\">" + message + "</p>")
                    .contains("aria-describedby=\"timeToLiveHours-hint timeToLiveHours-error\"")
                    .contains("Time to live: " + message)
                    .contains("value=\"" + hours + "\"")
                    .contains("value=\"" + name + "\"")
                    .contains("value=\"32\"");
            assertThat(KafkaTestClient.readAll(Topics.REQUESTED).stream()
                    .map(r -> ((RequestSubmitted) KafkaTestClient.decode(r)).request().name())).doesNotContain(name);
        }
    }

    @Test
    void restAcceptsATimeToLiveAndRefusesOneOutOfRange() throws Exception {
        // given
        String name = "api-ttl-" + UUID.randomUUID();

        // when
        MockHttpServletResponse accepted = send(api(null).content(json(name).replace("\"tags\"",
                "\"timeToLiveHours\": 24, \"tags\"")));
        MockHttpServletResponse refused = send(api(null).content(json(name + "-too-long").replace("\"tags\"",
                "\"timeToLiveHours\": 3000, \"tags\"")));

        // then
        assertThat(accepted.getStatus()).isEqualTo(201);
        String id = body(accepted).get("requestId").asText();
        assertThat(((RequestSubmitted) KafkaTestClient.decode(KafkaTestClient.recordsFor(Topics.REQUESTED, id).get(0)))
                .request().timeToLiveHours()).isEqualTo(24);
        assertThat(body(send(get("/api/requests/" + id))).get("request").get("timeToLiveHours").asInt()).isEqualTo(24);
        assertThat(refused.getStatus()).isEqualTo(400);
        assertThat(refused.getContentType()).startsWith("application/problem+json");
        assertThat(body(refused).get("errors")).singleElement().satisfies(error -> {
            assertThat(error.get("field").asText()).isEqualTo("timeToLiveHours");
            assertThat(error.get("message").asText()).isEqualTo("must be between 1 and 2160 hours (90 days)");
        });
    }

    // --- pages: headers, escaping, list, not found --------------------------------------------

    @Test
    void pagesSendSecurityHeadersAndCarryNoInlineScriptOrStyle() throws Exception {
        // when
        MockHttpServletResponse page = send(get("/"));

        // then
        assertThat(page.getStatus()).isEqualTo(200);
        String csp = page.getHeader("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'").contains("style-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.getHeader("X-Frame-Options")).isEqualTo("DENY");
        String html = page.getContentAsString();
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContain(" style=")
                .doesNotContainPattern("\\son[a-z]+=").doesNotContain("http://").doesNotContain("https://");
        assertThat(html).contains("name=\"_csrf\"");
    }

    @Test
    void listPageShowsARequestersRequestsAsText() throws Exception {
        // given
        String email = "list-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String name = "<b>bold</b>-" + UUID.randomUUID().toString().substring(0, 8);
        String id = body(send(api(null).content(json(name).replace("dev@example.com", email))))
                .get("requestId").asText();

        // when
        MockHttpServletResponse list = send(get("/requests").param("email", email.toUpperCase()));
        MockHttpServletResponse invalid = send(get("/requests").param("email", "not-an-email"));

        // then
        assertThat(list.getStatus()).isEqualTo(200);
        assertThat(list.getContentAsString()).contains("href=\"/requests/" + id + "\"")
                .contains("&lt;b&gt;bold&lt;/b&gt;").doesNotContain("<b>bold</b>");
        assertThat(invalid.getStatus()).isEqualTo(400);
        assertThat(invalid.getContentAsString()).contains("must be an email address");
    }

    @Test
    void unknownRequestHasA404PageAndA404Problem() throws Exception {
        // when
        MockHttpServletResponse page = send(get("/requests/" + UUID.randomUUID()));
        MockHttpServletResponse progress = send(get("/requests/not-an-id/progress"));

        // then
        assertThat(page.getStatus()).isEqualTo(404);
        assertThat(page.getContentAsString()).contains("No such request");
        assertThat(progress.getStatus()).isEqualTo(404);
        assertThat(progress.getContentType()).startsWith("application/problem+json");
    }

    @Test
    void openApiDocumentDescribesTheJsonApiWithTheIdempotencyKey() throws Exception {
        // when
        MockHttpServletResponse response = send(get("/v3/api-docs"));

        // then
        assertThat(response.getStatus()).isEqualTo(200);
        JsonNode api = body(response);
        assertThat(api.get("info").get("title").asText()).isEqualTo("OneClick request-service");
        assertThat(api.get("paths").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("/api/requests", "/api/requests/{id}");
        JsonNode submit = api.get("paths").get("/api/requests").get("post");
        assertThat(submit.get("parameters")).anySatisfy(parameter -> {
            assertThat(parameter.get("name").asText()).isEqualTo("Idempotency-Key");
            assertThat(parameter.get("in").asText()).isEqualTo("header");
        });
        assertThat(submit.get("responses").fieldNames()).toIterable().contains("200", "201", "400", "422", "503");
        assertThat(submit.get("requestBody").toString()).contains("InstanceRequest");
        JsonNode ttl = api.get("components").get("schemas").get("InstanceRequest").get("properties")
                .get("timeToLiveHours");
        assertThat(ttl).as("timeToLiveHours in the InstanceRequest schema").isNotNull();
        assertThat(ttl.get("type").asText()).isEqualTo("integer");
    }

    // --- helpers -----------------------------------------------------------------------------

    private MockHttpServletResponse send(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }

    private static MockHttpServletRequestBuilder api(String key) {
        MockHttpServletRequestBuilder request = post("/api/requests").contentType(MediaType.APPLICATION_JSON);
        return key == null ? request : request.header("Idempotency-Key", key);
    }

    /** The form as a browser posts it; {@code overrides} are name/value pairs that replace a field. */
    private static MockHttpServletRequestBuilder form(String token, String name, String... overrides) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("formToken", token);
        fields.put("name", name);
        fields.put("requesterEmail", "dev@example.com");
        fields.put("region", "eu-west-1");
        fields.put("vpcId", "vpc-0a1b2c3d");
        fields.put("subnetId", "subnet-0a1b2c3d");
        fields.put("instanceType", "t3.micro");
        fields.put("image", "amazon-linux-2023");
        fields.put("amiId", "");
        fields.put("keyName", "dev-laptop");
        fields.put("rootVolumeGiB", "20");
        fields.put("securityGroupIds", "");
        for (int i = 0; i < overrides.length; i += 2) {
            fields.put(overrides[i], overrides[i + 1]);
        }
        MockHttpServletRequestBuilder request = post("/requests").contentType(MediaType.APPLICATION_FORM_URLENCODED);
        fields.forEach(request::param);
        return request;
    }

    /** A token as the empty form hands it out. */
    private String formToken() throws Exception {
        return hiddenToken(send(get("/")).getContentAsString());
    }

    private static String hiddenToken(String page) {
        Matcher matcher = Pattern.compile("name=\"formToken\" value=\"([^\"]+)\"").matcher(page);
        assertThat(matcher.find()).as("the page carries a form token").isTrue();
        return matcher.group(1);
    }

    private static String json(String name) {
        return """
                {"name": "  %s ", "requesterEmail": "dev@example.com", "region": "eu-west-1",
                 "vpcId": "vpc-0a1b2c3d", "subnetId": "subnet-0a1b2c3d4e5f67890", "instanceType": "t3.micro",
                 "amiId": "ami-0123456789abcdef0", "keyName": "dev-laptop", "rootVolumeGiB": 20,
                 "securityGroupIds": ["sg-0a1b2c3d"], "tags": {"team": "payments"}}
                """.formatted(name.replace("\\", "\\\\").replace("\"", "\\\""));
    }

    private static JsonNode body(MockHttpServletResponse response) throws Exception {
        return JSON.readTree(response.getContentAsString());
    }
}
