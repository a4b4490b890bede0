package com.oneclick.request.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.Topics;
import com.oneclick.model.catalog.Parameter;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;
import com.oneclick.model.events.InstanceProvisioned;
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

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
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

    // --- products: the REST API ---------------------------------------------------------------

    @Test
    void auroraRequestIsAcceptedAndPublishedWithItsProductAndNormalizedParameters() throws Exception {
        // given a list with spaces around its items and a number where text belongs
        String name = "orders-" + UUID.randomUUID();

        // when
        MockHttpServletResponse response = send(api(null).content(auroraJson(name)));

        // then
        assertThat(response.getStatus()).isEqualTo(201);
        String id = body(response).get("requestId").asText();
        RequestSubmitted submitted = (RequestSubmitted) KafkaTestClient.decode(
                KafkaTestClient.recordsFor(Topics.REQUESTED, id).get(0));
        assertThat(submitted.request().product()).isEqualTo("aurora-mysql");
        assertThat(submitted.request().parameters()).containsExactly(
                Map.entry("subnetIds", "subnet-0a1b2c3d,subnet-1a2b3c4d"), Map.entry("instanceClass", "db.t4g.medium"),
                Map.entry("engineVersion", "8.0.mysql_aurora.3.08.0"), Map.entry("instances", "2"),
                Map.entry("databaseName", "orders"), Map.entry("masterUsername", "admin"),
                Map.entry("backupRetentionDays", "7"));
        assertThat(submitted.request().subnetId()).isNull();
        assertThat(submitted.request().instanceType()).isNull();
        assertThat(submitted.request().rootVolumeGiB()).isNull();
        JsonNode view = body(send(get("/api/requests/" + id)));
        assertThat(view.get("product").asText()).isEqualTo("aurora-mysql");
        assertThat(view.get("request").get("parameters").get("subnetIds").asText())
                .isEqualTo("subnet-0a1b2c3d,subnet-1a2b3c4d");
    }

    @Test
    void badAuroraParametersAnswerOneErrorPerParameterAndPublishNothing() throws Exception {
        // given one subnet, an unknown class, too many instances, a bad name and a missing retention
        String name = "bad-orders-" + UUID.randomUUID();
        String body = auroraJson(name)
                .replace("\" subnet-0a1b2c3d , subnet-1a2b3c4d \"", "\"subnet-0a1b2c3d\"")
                .replace("\"db.t4g.medium\"", "\"db.x1e.32xlarge\"")
                .replace("\"instances\": 2", "\"instances\": 9")
                .replace("\"orders\"", "\"1orders\"")
                .replace(", \"backupRetentionDays\": \"7\"", "");

        // when
        MockHttpServletResponse response = send(api(null).content(body));

        // then
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        Map<String, String> errors = errors(body(response));
        assertThat(errors).containsOnlyKeys("parameters[subnetIds]", "parameters[instanceClass]",
                "parameters[instances]", "parameters[databaseName]", "parameters[backupRetentionDays]");
        assertThat(errors.get("parameters[subnetIds]")).isEqualTo("must list 2 to 6 values separated by commas");
        assertThat(errors.get("parameters[instances]")).isEqualTo("must be a whole number from 1 to 3");
        assertThat(errors.get("parameters[backupRetentionDays]")).isEqualTo("is required");
        assertThat(requestedNames()).doesNotContain(name);
    }

    @Test
    void ec2FieldOnAnAuroraRequestAnUnknownProductAndAListAsAParameterAre400() throws Exception {
        // given
        String name = "mixed-" + UUID.randomUUID();
        String withInstanceType = auroraJson(name).replace("\"tags\"", "\"instanceType\": \"t3.micro\", \"tags\"");
        String unknownProduct = auroraJson(name).replace("\"aurora-mysql\"", "\"s3-bucket\"");
        String listParameter = auroraJson(name).replace("\" subnet-0a1b2c3d , subnet-1a2b3c4d \"",
                "[\"subnet-0a1b2c3d\", \"subnet-1a2b3c4d\"]");

        // when
        MockHttpServletResponse ec2Field = send(api(null).content(withInstanceType));
        MockHttpServletResponse unknown = send(api(null).content(unknownProduct));
        MockHttpServletResponse list = send(api(null).content(listParameter));

        // then
        assertThat(ec2Field.getStatus()).isEqualTo(400);
        assertThat(errors(body(ec2Field))).containsExactly(
                Map.entry("instanceType", "is not used by the Aurora MySQL cluster product; leave it out"));
        assertThat(unknown.getStatus()).isEqualTo(400);
        assertThat(errors(body(unknown))).containsOnlyKeys("product");
        assertThat(errors(body(unknown)).get("product")).contains("ec2-instance", "aurora-mysql");
        assertThat(list.getStatus()).isEqualTo(400);
        assertThat(errors(body(list))).containsExactly(
                Map.entry("parameters[subnetIds]", RequestController.PARAMETER_TEXT));
        assertThat(requestedNames()).doesNotContain(name);
    }

    @Test
    void idempotencyKeyCoversTheProductAndItsParameters() throws Exception {
        // given
        String key = UUID.randomUUID().toString();
        String name = "idem-orders-" + UUID.randomUUID();
        String id = body(send(api(key).content(auroraJson(name)))).get("requestId").asText();

        // when the same parameters come again written differently, then other parameters
        MockHttpServletResponse same = send(api(key).content(auroraJson(name)
                .replace("\" subnet-0a1b2c3d , subnet-1a2b3c4d \"", "\"subnet-0a1b2c3d,subnet-1a2b3c4d\"")
                .replace("\"instances\": 2", "\"instances\": \"2\"")));
        MockHttpServletResponse other = send(api(key).content(auroraJson(name).replace("\"instances\": 2",
                "\"instances\": 3")));

        // then
        assertThat(same.getStatus()).isEqualTo(200);
        assertThat(body(same).get("requestId").asText()).isEqualTo(id);
        assertThat(other.getStatus()).isEqualTo(422);
        assertThat(KafkaTestClient.recordsFor(Topics.REQUESTED, id)).hasSize(1);
    }

    @Test
    void provisionedAuroraClusterShowsItsLabelledOutputsInTheApiOnItsPageAndInTheList() throws Exception {
        // given a submitted cluster request
        String email = "orders-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String id = body(send(api(null).content(auroraJson("orders-db").replace("dev@example.com", email))))
                .get("requestId").asText();
        RequestSubmitted submitted = (RequestSubmitted) KafkaTestClient.decode(
                KafkaTestClient.recordsFor(Topics.REQUESTED, id).get(0));
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("cluster_identifier", "oneclick-orders-db");
        outputs.put("cluster_name", "orders-db");
        outputs.put("endpoint", "<b>orders-db</b>.cluster-abc.eu-west-1.rds.amazonaws.com");
        outputs.put("reader_endpoint", "orders-db.cluster-ro-abc.eu-west-1.rds.amazonaws.com");
        outputs.put("port", "3306");
        outputs.put("master_user_secret_arn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds-abc");
        outputs.put("availability_zones", "eu-west-1a,eu-west-1b");

        // when the build reports it
        KafkaTestClient.publish(InstanceProvisioned.of(id, "oneclick-orders-db", "orders-db", null, null, true,
                "c0ffee", "build-7", submitted.request(), outputs));

        // then
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "PROVISIONED".equals(body(send(get("/api/requests/" + id))).get("status").asText()));
        JsonNode instance = body(send(get("/api/requests/" + id))).get("instance");
        assertThat(instance.get("instanceId").asText()).isEqualTo("oneclick-orders-db");
        assertThat(labels(instance.get("outputs"))).containsExactly("Cluster", "Name", "Writer endpoint",
                "Reader endpoint", "Port", "Master password secret", "Availability zones");
        JsonNode progress = body(send(get("/requests/" + id + "/progress")));
        assertThat(progress.get("productTitle").asText()).isEqualTo("Aurora MySQL cluster");
        assertThat(labels(progress.get("instance").get("outputs"))).hasSize(7);
        assertThat(progress.get("parameters").get(0).get("label").asText()).isEqualTo("Subnets");

        String page = send(get("/requests/" + id)).getContentAsString();
        assertThat(page).contains("id=\"product-title\">Aurora MySQL cluster<")
                .contains("<dt>Writer endpoint</dt><dd id=\"output-endpoint\">&lt;b&gt;orders-db&lt;/b&gt;.cluster-abc")
                .contains("<dt>Port</dt><dd id=\"output-port\">3306</dd>")
                .contains("<dt>Subnets</dt><dd class=\"parameter-value\">subnet-0a1b2c3d, subnet-1a2b3c4d</dd>")
                .doesNotContain("<b>orders-db</b>").doesNotContain("<dt>Subnet</dt>").doesNotContain("Instance type");
        String list = send(get("/requests").param("email", email)).getContentAsString();
        assertThat(list).contains("Aurora MySQL cluster").contains("Writer endpoint: &lt;b&gt;orders-db&lt;/b&gt;")
                .contains("Port: 3306");
    }

    // --- products: the form -------------------------------------------------------------------

    @Test
    void formIsDrawnForEveryCatalogProductFromItsEntry() throws Exception {
        for (Product product : ProductCatalog.standard().products()) {
            // when
            MockHttpServletResponse response = send(get("/").param("product", product.name()));

            // then
            assertThat(response.getStatus()).as(product.name()).isEqualTo(200);
            String html = response.getContentAsString();
            assertThat(html).as(product.name())
                    .contains("<input type=\"hidden\" id=\"product\" name=\"product\" value=\"" + product.name() + "\">")
                    .contains("id=\"product-title\">" + product.title() + "<")
                    .contains("<option value=\"" + product.name() + "\" selected=\"selected\">");
            for (String common : List.of("name", "requesterEmail", "region", "vpcId", "securityGroupIds",
                    "timeToLiveHours", "tag-key-0")) {
                assertThat(tag(html, common)).as("%s: %s", product.name(), common).isNotNull();
            }
            for (String field : Product.PRODUCT_FIELDS) {
                assertThat(tag(html, field) != null).as("%s: %s", product.name(), field).isEqualTo(product.uses(field));
            }
            for (Parameter parameter : product.parameters()) {
                String input = tag(html, "parameter-" + parameter.name());
                assertThat(input).as("%s: %s", product.name(), parameter.name()).isNotNull()
                        .contains("name=\"parameters[" + parameter.name() + "]\"")
                        .contains("aria-describedby=\"parameter-" + parameter.name() + "-hint\"").contains("required");
                assertThat(html).contains("<label for=\"parameter-" + parameter.name() + "\">" + parameter.label()
                        + "</label>");
                switch (parameter.kind()) {
                    case CHOICE -> {
                        assertThat(input).startsWith("<select");
                        parameter.choices().forEach(choice -> assertThat(html).contains("<option value=\"" + choice + "\""));
                    }
                    case INTEGER -> assertThat(input).startsWith("<input").contains("type=\"number\"")
                            .contains("min=\"" + parameter.min() + "\"").contains("max=\"" + parameter.max() + "\"");
                    case TEXT, ID_LIST -> {
                        assertThat(input).startsWith("<input").contains("type=\"text\"");
                        if (parameter.example() != null) {
                            assertThat(input).contains("placeholder=\"" + parameter.example() + "\"");
                        }
                    }
                }
                if (parameter.defaultValue() != null) {
                    assertThat(parameter.kind() == Parameter.Kind.CHOICE
                            ? html.contains("<option value=\"" + parameter.defaultValue() + "\" selected=\"selected\">")
                            : input.contains("value=\"" + parameter.defaultValue() + "\""))
                            .as("%s: default of %s", product.name(), parameter.name()).isTrue();
                }
            }
        }
    }

    @Test
    void unknownProductOnTheFormIs404WithTheDefaultProductsForm() throws Exception {
        // when
        MockHttpServletResponse response = send(get("/").param("product", "<s3-bucket>"));

        // then
        assertThat(response.getStatus()).isEqualTo(404);
        String html = response.getContentAsString();
        assertThat(html).contains("The catalog has no such product").doesNotContain("s3-bucket")
                .contains("name=\"product\" value=\"ec2-instance\"");
    }

    @Test
    void auroraFormWithBadParametersShowsEachMessageNextToItsFieldThenSubmitsOnceCorrected() throws Exception {
        // given
        String name = "form-orders-" + UUID.randomUUID();
        String token = formToken();

        // when (the EC2 fields the helper posts too are not the product's and are not read)
        MockHttpServletResponse refused = send(form(token, name,
                auroraForm("subnet-0a1b2c3d subnet-1a2b3c4d", "9", "1orders")).with(csrf()));

        // then
        assertThat(refused.getStatus()).isEqualTo(400);
        String page = refused.getContentAsString();
        assertThat(page)
                .contains("<p class=\"error\" id=\"parameter-subnetIds-error\">must list 2 to 6 values")
                .contains("<p class=\"error\" id=\"parameter-instances-error\">must be a whole number from 1 to 3</p>")
                .contains("<p class=\"error\" id=\"parameter-databaseName-error\">must start with a letter")
                .contains("href=\"#parameter-instances\">Instances: must be a whole number from 1 to 3</a>")
                .doesNotContain("id=\"subnetId\"").doesNotContain("id=\"keyName\"");
        assertThat(tag(page, "parameter-instances")).contains("value=\"9\"")
                .contains("aria-describedby=\"parameter-instances-hint parameter-instances-error\"")
                .contains("aria-invalid=\"true\"");
        assertThat(tag(page, "parameter-subnetIds")).contains("value=\"subnet-0a1b2c3d subnet-1a2b3c4d\"");
        assertThat(page).contains("<option value=\"db.r6g.large\" selected=\"selected\">");
        assertThat(tag(page, "parameter-backupRetentionDays")).contains("value=\"14\"");
        assertThat(tag(page, "name")).contains("value=\"" + name + "\"");
        assertThat(requestedNames()).doesNotContain(name);

        // when corrected
        MockHttpServletResponse accepted = send(form(token, name,
                auroraForm("subnet-0a1b2c3d, subnet-1a2b3c4d", "2", "orders")).with(csrf()));

        // then
        assertThat(accepted.getStatus()).isEqualTo(303);
        String id = accepted.getRedirectedUrl().substring("/requests/".length());
        RequestSubmitted submitted = (RequestSubmitted) KafkaTestClient.decode(
                KafkaTestClient.recordsFor(Topics.REQUESTED, id).get(0));
        assertThat(submitted.request().product()).isEqualTo("aurora-mysql");
        assertThat(submitted.request().parameters()).containsEntry("subnetIds", "subnet-0a1b2c3d,subnet-1a2b3c4d")
                .containsEntry("instances", "2").containsEntry("backupRetentionDays", "14").hasSize(7);
        assertThat(submitted.request().keyName()).isNull();
        assertThat(submitted.request().amiId()).isNull();
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
        JsonNode properties = api.get("components").get("schemas").get("InstanceRequest").get("properties");
        JsonNode ttl = properties.get("timeToLiveHours");
        assertThat(ttl).as("timeToLiveHours in the InstanceRequest schema").isNotNull();
        assertThat(ttl.get("type").asText()).isEqualTo("integer");
        assertThat(properties.get("product").get("description").asText()).contains("aurora-mysql (Aurora MySQL cluster)")
                .contains("Absent or null: ec2-instance");
        assertThat(properties.get("product").get("enum")).extracting(JsonNode::asText)
                .containsExactly("ec2-instance", "aurora-mysql");
        assertThat(properties.get("parameters").get("description").asText()).contains("parameters[<name>]")
                .contains("subnetIds (Subnets: 2 to 6 IDs separated by commas)");
        assertThat(properties.get("parameters").get("example").get("subnetIds").asText())
                .isEqualTo("subnet-0a1b2c3d,subnet-1a2b3c4d");
        assertThat(properties.get("subnetId").get("description").asText()).contains("Only for ec2-instance requests");
        JsonNode aurora = submit.get("requestBody").get("content").get("application/json").get("examples")
                .get("aurora-mysql");
        assertThat(aurora.get("summary").asText()).isEqualTo("Aurora MySQL cluster");
        assertThat(aurora.get("value").get("product").asText()).isEqualTo("aurora-mysql");
        assertThat(aurora.get("value").has("subnetId")).isFalse();
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

    /** A valid Aurora request as a client would send it: a list with spaces, a number as a number. */
    private static String auroraJson(String name) {
        return """
                {"product": "aurora-mysql", "name": "%s", "requesterEmail": "dev@example.com",
                 "region": "eu-west-1", "vpcId": "vpc-0a1b2c3d", "securityGroupIds": ["sg-0a1b2c3d"],
                 "tags": {"team": "payments"},
                 "parameters": {"subnetIds": " subnet-0a1b2c3d , subnet-1a2b3c4d ", "instanceClass": "db.t4g.medium",
                   "engineVersion": "8.0.mysql_aurora.3.08.0", "instances": 2, "databaseName": "orders",
                   "masterUsername": "admin", "backupRetentionDays": "7"}}
                """.formatted(name);
    }

    /** Overrides that make {@link #form} an Aurora form. */
    private static String[] auroraForm(String subnets, String instances, String databaseName) {
        return new String[] {"product", "aurora-mysql", "parameters[subnetIds]", subnets,
                "parameters[instanceClass]", "db.r6g.large", "parameters[engineVersion]", "8.0.mysql_aurora.3.08.0",
                "parameters[instances]", instances, "parameters[databaseName]", databaseName,
                "parameters[masterUsername]", "admin", "parameters[backupRetentionDays]", "14"};
    }

    /** The opening tag of the input or select with this id; null when the page has none. */
    private static String tag(String html, String id) {
        Matcher matcher = Pattern.compile("<(?:input|select)\\b[^>]*\\sid=\"" + Pattern.quote(id) + "\"[^>]*>")
                .matcher(html);
        return matcher.find() ? matcher.group() : null;
    }

    private static Map<String, String> errors(JsonNode problem) {
        Map<String, String> errors = new LinkedHashMap<>();
        problem.get("errors").forEach(error -> errors.put(error.get("field").asText(), error.get("message").asText()));
        return errors;
    }

    private static List<String> labels(JsonNode outputs) {
        List<String> labels = new java.util.ArrayList<>();
        outputs.forEach(output -> labels.add(output.get("label").asText()));
        return labels;
    }

    private static List<String> requestedNames() {
        return KafkaTestClient.readAll(Topics.REQUESTED).stream()
                .map(r -> ((RequestSubmitted) KafkaTestClient.decode(r)).request().name()).toList();
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
