package com.oneclick.provisioner.git;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.oneclick.model.RequestIds;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Pushing over HTTP to a real git server: JGit's own {@link GitServlet} in an embedded Tomcat on
 * 127.0.0.1, behind HTTP Basic authentication, as Bitbucket serves a repository (plain HTTP on loopback:
 * TLS would add nothing the test can check but a certificate). Only the public API of
 * {@link StackRepository} is used.
 */
class StackRepositoryHttpTest {

    private static final String USER = "x-token-auth";
    private static final String TOKEN = "s3cr3t-t0ken-ATBB0123456789abcdef";
    private static final String FILE = "terraform.tfvars.json";
    /** Tomcat logs through java.util.logging; kept quiet (and referenced, so the setting is not collected). */
    private static final java.util.logging.Logger TOMCAT_LOG = java.util.logging.Logger.getLogger("org.apache");

    static {
        TOMCAT_LOG.setLevel(java.util.logging.Level.SEVERE);
    }

    @TempDir
    Path tmp;

    private Path bare;
    private GitServer server;
    private ListAppender<ILoggingEvent> logs;
    private Level jgitLevel;

    @BeforeEach
    void serverAndLogs() throws Exception {
        bare = tmp.resolve("infra.git");
        Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call().close();
        server = GitServer.start(tmp.resolve("tomcat"), bare, 0);
        logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        Logger jgit = (Logger) LoggerFactory.getLogger("org.eclipse.jgit");
        jgitLevel = jgit.getLevel();
        jgit.setLevel(Level.DEBUG);
    }

    @AfterEach
    void stop() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("org.eclipse.jgit")).setLevel(jgitLevel);
        server.stop();
    }

    @Test
    void pushWithTheRightTokenPutsTheStackOnTheBranch() throws Exception {
        // given
        StackRepository repository = repository(TOKEN, 3, Duration.ofMillis(50));
        String id = RequestIds.newId();

        // when
        String commit = repository.pushStack(id, files("web-1"), "Provision " + id);

        // then
        assertThat(remoteHead()).isEqualTo(commit);
        assertThat(remoteFile(commit, "stacks/" + id + "/" + FILE)).contains("web-1");
        assertThat(server.authenticatedRequests()).isPositive();
        assertThat(server.receivePacks()).isEqualTo(1);
        assertTokenNowhere(repository);
    }

    @Test
    void aPackSentOverTheNetworkIsCompressed() throws Exception {
        // given: a file zlib would shrink to a fraction
        StackRepository repository = repository(TOKEN, 3, Duration.ofMillis(50));
        String id = RequestIds.newId();
        String tfvars = "{\"name\":\"web-2\",\"note\":\"" + "a".repeat(300) + "\"}";

        // when
        String commit = repository.pushStack(id, Map.of(FILE, tfvars.getBytes(StandardCharsets.UTF_8)),
                "Provision " + id);

        // then: the server received it compressed (its bytes are nowhere as they are), and reads it
        assertThat(remoteFile(commit, "stacks/" + id + "/" + FILE)).isEqualTo(tfvars);
        assertThat(StackRepositoryTest.filesHolding(bare.resolve("objects"), tfvars.getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }

    @Test
    void wrongTokenFailsWithAClearErrorThatNeverShowsTheToken() throws Exception {
        // given
        String wrong = "wrong-t0ken-ATBBfedcba9876543210";
        StackRepository repository = repository(wrong, 2, Duration.ofMillis(20));
        String id = RequestIds.newId();

        // when / then
        assertThatThrownBy(() -> repository.pushStack(id, files("web-1"), "Provision " + id))
                .isInstanceOf(StackPushException.class)
                .hasMessageContaining("push stacks/" + id)
                .hasMessageContaining("not authorized")
                .satisfies(e -> assertThat(fullText(e)).doesNotContain(wrong).doesNotContain(TOKEN));
        assertThat(remoteHead()).isNull();
        assertThat(server.rejectedLogins()).isPositive();
        assertTokenNowhere(repository, wrong);
    }

    @Test
    void concurrentPusherIsFetchedRebasedAndBothStacksEndOnTheBranch() throws Exception {
        // given: our first stack is on the branch, then another clone pushes its own stack
        StackRepository repository = repository(TOKEN, 3, Duration.ofMillis(50));
        String ours = RequestIds.newId();
        repository.pushStack(ours, files("ours-1"), "Provision " + ours);
        String theirs = RequestIds.newId();
        Path otherClone = tmp.resolve("other-clone");
        try (Git other = Git.cloneRepository().setURI(server.url()).setDirectory(otherClone.toFile())
                .setCredentialsProvider(new UsernamePasswordCredentialsProvider(USER, TOKEN)).call()) {
            Path file = otherClone.resolve("stacks/" + theirs + "/" + FILE);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "{\"name\":\"theirs\"}\n");
            other.add().addFilepattern(".").call();
            PersonIdent who = new PersonIdent("Someone", "someone@example.com");
            other.commit().setMessage("Provision " + theirs).setAuthor(who).setCommitter(who).setSign(false).call();
            other.push().setCredentialsProvider(new UsernamePasswordCredentialsProvider(USER, TOKEN)).call();
        }
        String theirHead = remoteHead();
        String second = RequestIds.newId();

        // when: our next push is not a fast-forward any more
        String commit = repository.pushStack(second, files("ours-2"), "Provision " + second);

        // then
        assertThat(remoteHead()).isEqualTo(commit);
        assertThat(remoteFile(commit, "stacks/" + ours + "/" + FILE)).contains("ours-1");
        assertThat(remoteFile(commit, "stacks/" + theirs + "/" + FILE)).contains("theirs");
        assertThat(remoteFile(commit, "stacks/" + second + "/" + FILE)).contains("ours-2");
        assertThat(parentOf(commit)).isEqualTo(theirHead);
        assertThat(messages()).anySatisfy(m -> assertThat(m).contains("the remote moved on"));
        assertTokenNowhere(repository);
    }

    @Test
    void serverDownThenUpIsRetriedWithBackoffUntilThePushGoesThrough() throws Exception {
        // given
        StackRepository repository = repository(TOKEN, 8, Duration.ofMillis(100));
        String first = RequestIds.newId();
        repository.pushStack(first, files("web-1"), "Provision " + first);
        int port = server.port();
        server.stop();
        String id = RequestIds.newId();

        // when: the push starts while the server is down, and the server comes back on the same port
        CompletableFuture<String> push = CompletableFuture.supplyAsync(
                () -> repository.pushStack(id, files("web-2"), "Provision " + id));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> messages().stream().filter(m -> m.contains("remote unreachable")).count() >= 2);
        server = GitServer.start(tmp.resolve("tomcat-again"), bare, port);
        String commit = push.get(60, TimeUnit.SECONDS);

        // then
        assertThat(remoteHead()).isEqualTo(commit);
        assertThat(remoteFile(commit, "stacks/" + first + "/" + FILE)).contains("web-1");
        assertThat(remoteFile(commit, "stacks/" + id + "/" + FILE)).contains("web-2");
        assertThat(messages()).anySatisfy(m -> assertThat(m).contains("retrying in 100 ms"))
                .anySatisfy(m -> assertThat(m).contains("retrying in 200 ms"));
        assertTokenNowhere(repository);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private StackRepository repository(String token, int attempts, Duration backoff) {
        return new StackRepository(tmp.resolve("work"), server.url(), "main", null, token, attempts, backoff,
                Duration.ofSeconds(20));
    }

    private static Map<String, byte[]> files(String name) {
        return Map.of(FILE, ("{\"name\":\"" + name + "\"}\n").getBytes(StandardCharsets.UTF_8));
    }

    private String remoteHead() throws IOException {
        try (Repository repo = Git.open(bare.toFile()).getRepository()) {
            var head = repo.resolve("refs/heads/main");
            return head == null ? null : head.name();
        }
    }

    private String parentOf(String commit) throws IOException {
        try (Repository repo = Git.open(bare.toFile()).getRepository(); RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(repo.resolve(commit)).getParent(0).name();
        }
    }

    private String remoteFile(String commit, String path) throws IOException {
        try (Repository repo = Git.open(bare.toFile()).getRepository(); RevWalk walk = new RevWalk(repo);
             TreeWalk tree = TreeWalk.forPath(repo, path, walk.parseCommit(repo.resolve(commit)).getTree())) {
            assertThat(tree).as("%s in %s", path, commit).isNotNull();
            return new String(repo.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    private List<String> messages() {
        List<String> all = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(logs.list)) {
            StringBuilder text = new StringBuilder(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
            }
            all.add(text.toString());
        }
        return all;
    }

    private void assertTokenNowhere(StackRepository repository, String... more) throws IOException {
        List<String> secrets = new ArrayList<>(List.of(TOKEN, basic(TOKEN)));
        for (String other : more) {
            secrets.add(other);
            secrets.add(basic(other));
        }
        // the local repository is bare: its config sits at the top of its directory
        String config = Files.readString(repository.workDir().resolve("config"));
        assertThat(config).contains("[remote \"origin\"]");
        List<String> logged = messages();
        assertThat(logged).as("captured log lines").isNotEmpty();
        for (String secret : secrets) {
            assertThat(config).doesNotContain(secret);
            assertThat(logged).noneSatisfy(line -> assertThat(line).contains(secret));
        }
    }

    private static String basic(String token) {
        return Base64.getEncoder().encodeToString((USER + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    private static String fullText(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }

    /** JGit's GitServlet serving one bare repository at /infra.git behind HTTP Basic, in an embedded Tomcat. */
    static final class GitServer {

        private final Tomcat tomcat;
        private final int port;
        private final BasicAuth auth;

        private GitServer(Tomcat tomcat, int port, BasicAuth auth) {
            this.tomcat = tomcat;
            this.port = port;
            this.auth = auth;
        }

        static GitServer start(Path baseDir, Path bare, int port) throws LifecycleException, IOException {
            Files.createDirectories(baseDir);
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            Connector connector = new Connector();
            connector.setPort(port);
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            Context context = tomcat.addContext("", baseDir.toString());

            GitServlet git = new GitServlet();
            git.setRepositoryResolver((request, name) -> {
                if (!"infra.git".equals(name)) {
                    throw new RepositoryNotFoundException(name);
                }
                try {
                    return Git.open(bare.toFile()).getRepository();
                } catch (IOException e) {
                    throw new RepositoryNotFoundException(name, e);
                }
            });
            Tomcat.addServlet(context, "git", git);
            context.addServletMappingDecoded("/*", "git");

            BasicAuth auth = new BasicAuth();
            FilterDef filterDef = new FilterDef();
            filterDef.setFilterName("basic");
            filterDef.setFilter(auth);
            context.addFilterDef(filterDef);
            FilterMap filterMap = new FilterMap();
            filterMap.setFilterName("basic");
            filterMap.addURLPattern("/*");
            context.addFilterMap(filterMap);

            tomcat.start();
            return new GitServer(tomcat, connector.getLocalPort(), auth);
        }

        String url() {
            return "http://127.0.0.1:" + port + "/infra.git";
        }

        int port() {
            return port;
        }

        int authenticatedRequests() {
            return auth.accepted;
        }

        int rejectedLogins() {
            return auth.rejected;
        }

        int receivePacks() {
            return auth.receivePacks;
        }

        void stop() {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** HTTP Basic: 401 with a challenge unless the request carries {@link #USER} and {@link #TOKEN}. */
    static final class BasicAuth implements Filter {

        private static final byte[] EXPECTED = ("Basic " + basic(TOKEN)).getBytes(StandardCharsets.US_ASCII);
        volatile int accepted;
        volatile int rejected;
        volatile int receivePacks;

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest request = (HttpServletRequest) req;
            HttpServletResponse response = (HttpServletResponse) res;
            String header = request.getHeader("Authorization");
            if (header == null || !MessageDigest.isEqual(EXPECTED, header.getBytes(StandardCharsets.US_ASCII))) {
                if (header != null) {
                    rejected++;
                }
                response.setHeader("WWW-Authenticate", "Basic realm=\"infra\"");
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
                return;
            }
            accepted++;
            if (request.getRequestURI().endsWith("/git-receive-pack")) {
                receivePacks++;
            }
            // GitServlet allows receive-pack only to an authenticated user
            chain.doFilter(new HttpServletRequestWrapper(request) {
                @Override
                public String getRemoteUser() {
                    return USER;
                }
            }, response);
        }
    }
}
