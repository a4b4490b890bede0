package com.oneclick.approval;

import com.oneclick.approval.queue.ApprovalQueue;
import com.oneclick.approval.queue.ReplayProgress;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.Topics;
import com.oneclick.model.events.ApprovalRequested;
import com.oneclick.model.events.RequestApproved;
import com.oneclick.model.events.RequestSubmitted;
import com.oneclick.testsupport.KafkaSupport;
import com.oneclick.testsupport.KafkaTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static com.oneclick.approval.TestUsers.APPROVER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The approvals page over real HTTP: login form, session, CSRF, CSP, escaping, the two buttons. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ApprovalsPageTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @DynamicPropertySource
    static void configure(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaSupport::bootstrapServers);
        TestUsers.properties().forEach((key, value) -> registry.add(key, () -> value));
    }

    @LocalServerPort
    int port;

    @Autowired
    ReplayProgress replay;

    @Autowired
    ApprovalQueue queue;

    private HttpClient browser;

    @BeforeEach
    void browser() {
        browser = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        await().atMost(Duration.ofSeconds(30)).until(replay::caughtUp);
    }

    @Test
    void withoutASessionThePageSendsTheBrowserToTheLoginFormAndWrongPasswordsStayOut() {
        // when
        HttpResponse<String> page = get("/approvals");
        HttpResponse<String> login = get("/login");
        HttpResponse<String> wrong = post("/login", Map.of("username", APPROVER.username(), "password", "guess",
                "_csrf", csrf(login.body())));

        // then
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("/css/oneclick.css", "/css/approvals.css").doesNotContain("<script");
        assertThat(wrong.headers().firstValue("Location").orElseThrow()).contains("/login?error");
        assertThat(get("/approvals").statusCode()).isEqualTo(302);
    }

    @Test
    void pendingRequestsAreListedEscapedUnderAStrictContentSecurityPolicy() {
        // given a request whose name is markup
        String id = RequestIds.newId();
        KafkaTestClient.publish(RequestSubmitted.of(id, Requests.valid("<script>alert('x')</script>")));
        signIn();

        // when
        HttpResponse<String> page = await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/approvals"), response -> response.body().contains(id));

        // then
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .doesNotContain("<script>alert").contains("dev@example.com", "t3.micro", "2 vCPU", "vpc-0a1b2c3d",
                        "Approve", "Reject");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "style-src 'self'", "form-action 'self'")
                .doesNotContain("unsafe-inline");
    }

    @Test
    void auroraRequestShowsItsProductAndLabelledParametersAndIsApprovedFromThePage() {
        // given
        String id = RequestIds.newId();
        InstanceRequest request = Requests.aurora("orders-db", "dev@example.com", "vpc-0a1b2c3d");
        KafkaTestClient.publish(RequestSubmitted.of(id, request));
        signIn();
        String page = await().atMost(Duration.ofSeconds(30)).until(() -> get("/approvals").body(),
                body -> body.contains(id));

        // when
        String article = article(page, id);

        // then: the product's title and its parameters with the catalog's labels; no EC2 fields
        assertThat(article).contains("<dd class=\"product\">Aurora MySQL cluster</dd>",
                "<dt>Subnets</dt><dd class=\"parameter\">subnet-0a1b2c3d, subnet-1a2b3c4d</dd>",
                "<dt>Instance class</dt><dd class=\"parameter\">db.t4g.medium</dd>",
                "<dt>Engine version</dt><dd class=\"parameter\">8.0.mysql_aurora.3.08.0</dd>",
                "<dt>Instances</dt><dd class=\"parameter\">2</dd>",
                "<dt>Database name</dt><dd class=\"parameter\">orders</dd>",
                "<dt>Master user name</dt><dd class=\"parameter\">admin</dd>",
                "<dt>Backup retention (days)</dt><dd class=\"parameter\">7</dd>",
                "<dt>VPC</dt><dd>vpc-0a1b2c3d</dd>")
                .doesNotContain("Instance type", "AMI", "Key pair", "Root volume", "VPC / subnet");
        assertThat(article.indexOf("Subnets")).isLessThan(article.indexOf("Backup retention"));

        // when
        HttpResponse<String> approved = post("/approvals/" + id + "/approve", Map.of("_csrf", csrf(page)));

        // then
        assertThat(approved.statusCode()).isEqualTo(302);
        assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).singleElement().satisfies(record ->
                assertThat(KafkaTestClient.decode(record)).isInstanceOfSatisfying(RequestApproved.class, event -> {
                    assertThat(event.approvedBy()).isEqualTo(APPROVER.username());
                    assertThat(event.request()).isEqualTo(request);
                }));
    }

    @Test
    void anEc2RequestShowsItsProductTitleAndNoParameters() {
        // given
        String id = RequestIds.newId();
        KafkaTestClient.publish(RequestSubmitted.of(id, Requests.valid("ec2-titled")));
        signIn();

        // when
        String page = await().atMost(Duration.ofSeconds(30)).until(() -> get("/approvals").body(),
                body -> body.contains(id));

        // then
        assertThat(article(page, id)).contains("<dd class=\"product\">EC2 instance</dd>", "VPC / subnet",
                "Instance type", "AMI", "Key pair", "Root volume").doesNotContain("class=\"parameter\"");
    }

    @Test
    void parameterValuesAreEscapedEvenIfOneGotPastTheRules() {
        // given: a parameter value with markup, put straight into the queue, already handed to the
        // approvers so nothing is published for it (the topic's reader would dead-letter such a
        // request, since no parameter rule allows markup)
        String id = RequestIds.newId();
        InstanceRequest valid = Requests.aurora("escaped-db", "dev@example.com", "vpc-0a1b2c3d");
        Map<String, String> parameters = new LinkedHashMap<>(valid.parameters());
        parameters.put("databaseName", "<img src=x onerror=alert(1)>");
        InstanceRequest hostile = InstanceRequest.forProduct(valid.product(), valid.name(), valid.requesterEmail(),
                valid.region(), valid.vpcId(), valid.securityGroupIds(), valid.tags(), null, parameters);
        queue.apply(RequestSubmitted.of(id, hostile));
        queue.apply(ApprovalRequested.of(id, List.of(TestUsers.APPROVER_EMAIL), 1, List.of(), null, hostile));
        signIn();

        // when
        String article = article(get("/approvals").body(), id);

        // then
        assertThat(article).contains("<dt>Database name</dt><dd class=\"parameter\">&lt;img src=x "
                + "onerror=alert(1)&gt;</dd>").doesNotContain("<img");
    }

    @Test
    void approveButtonPublishesTheApprovalOnlyWithTheFormsCsrfToken() {
        // given
        String id = RequestIds.newId();
        KafkaTestClient.publish(RequestSubmitted.of(id, Requests.valid("page-approve")));
        signIn();
        String page = await().atMost(Duration.ofSeconds(30)).until(() -> get("/approvals").body(),
                body -> body.contains(id));

        // when a forged form without the token, then the real one
        HttpResponse<String> forged = post("/approvals/" + id + "/approve", Map.of("comment", "forged"));
        HttpResponse<String> real = post("/approvals/" + id + "/approve", Map.of("comment", "from the page",
                "_csrf", csrf(page)));

        // then
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(real.statusCode()).isEqualTo(302);
        assertThat(real.headers().firstValue("Location").orElseThrow()).endsWith("/approvals");
        assertThat(KafkaTestClient.recordsFor(Topics.APPROVED, id)).singleElement().satisfies(record ->
                assertThat(KafkaTestClient.decode(record)).isInstanceOfSatisfying(RequestApproved.class, event -> {
                    assertThat(event.approvedBy()).isEqualTo(APPROVER.username());
                    assertThat(event.comment()).isEqualTo("from the page");
                }));
        String after = get("/approvals").body();
        assertThat(after).contains("Approved").doesNotContain("id=\"request-" + id + "\"");
    }

    @Test
    void rejectButtonNeedsAReasonAndSaysSoOnThePage() {
        // given
        String id = RequestIds.newId();
        KafkaTestClient.publish(RequestSubmitted.of(id, Requests.valid("page-reject")));
        signIn();
        String page = await().atMost(Duration.ofSeconds(30)).until(() -> get("/approvals").body(),
                body -> body.contains(id));

        // when
        HttpResponse<String> blank = post("/approvals/" + id + "/reject", Map.of("reason", "  ", "_csrf", csrf(page)));

        // then
        assertThat(blank.statusCode()).isEqualTo(302);
        assertThat(get("/approvals").body()).contains("reason is required").contains("id=\"request-" + id + "\"");
        assertThat(KafkaTestClient.recordsFor(Topics.REJECTED, id)).isEmpty();
    }

    private void signIn() {
        String form = get("/login").body();
        HttpResponse<String> login = post("/login", Map.of("username", APPROVER.username(),
                "password", APPROVER.password(), "_csrf", csrf(form)));
        assertThat(login.headers().firstValue("Location").orElseThrow()).endsWith("/approvals");
    }

    /** The part of the page that shows one request. */
    private static String article(String page, String id) {
        int start = page.indexOf("id=\"request-" + id + "\"");
        assertThat(start).as("request %s on the page", id).isNotNegative();
        return page.substring(start, page.indexOf("</article>", start));
    }

    private static String csrf(String html) {
        Matcher matcher = CSRF.matcher(html);
        assertThat(matcher.find()).as("a CSRF field in %s", html).isTrue();
        return matcher.group(1);
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
    }

    private HttpResponse<String> post(String path, Map<String, String> form) {
        String body = new LinkedHashMap<>(form).entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return browser.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
