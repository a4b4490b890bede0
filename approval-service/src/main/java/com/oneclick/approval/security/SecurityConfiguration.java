package com.oneclick.approval.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.approval.ApprovalProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Who may do what. Two modes ({@code oneclick.approval.auth}):
 * <ul>
 *   <li>{@code basic} (default): the configured users; the API takes HTTP Basic, the approvals page
 *       a login form (a session cookie, so the page's forms carry CSRF tokens).</li>
 *   <li>{@code jwt}: an OAuth2 resource server; every call carries a bearer token signed by the
 *       identity provider ({@code spring.security.oauth2.resourceserver.jwt.*}); roles and email
 *       come from configurable claims ({@code oneclick.approval.jwt.*}).</li>
 * </ul>
 * Reading needs any authenticated user, deciding the role APPROVER. 401 and 403 are
 * application/problem+json like every other error of the API.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    private static final String REALM = "oneclick";
    /** No script at all; styles and images only from this service. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @Bean
    public ConfiguredUsers configuredUsers(ApprovalProperties properties) {
        ConfiguredUsers users = ConfiguredUsers.from(properties);
        if (properties.auth() == ApprovalProperties.Auth.BASIC) {
            users.warnings().forEach(warning -> log.warn("Approval users: {}", warning));
        } else if (!properties.users().isEmpty()) {
            log.warn("Approval users: oneclick.approval.users is ignored for signing in with auth=jwt; only their "
                    + "emails are asked for approvals");
        }
        return users;
    }

    @Bean
    public UserDetailsService userDetailsService(ConfiguredUsers users, ApprovalProperties properties) {
        // In jwt mode nobody signs in with a password: an empty user store, and no generated default user.
        return properties.auth() == ApprovalProperties.Auth.BASIC ? users.userDetailsManager()
                : new InMemoryUserDetailsManager();
    }

    /**
     * The configured hashes' encoders ({@code {bcrypt}…}), remembering a successful match for
     * {@code oneclick.approval.password-cache-ttl} (5 minutes; 0 turns it off) so that an API client
     * sending HTTP Basic with every call does not pay BCrypt every time.
     */
    @Bean
    public PasswordEncoder passwordEncoder(
            @org.springframework.beans.factory.annotation.Value("${oneclick.approval.password-cache-ttl:5m}")
            java.time.Duration cacheTtl) {
        return new CachingPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder(), cacheTtl,
                java.time.Clock.systemUTC());
    }

    @Bean
    public ApproverIdentity approverIdentity(ApprovalProperties properties, ConfiguredUsers users) {
        return properties.auth() == ApprovalProperties.Auth.JWT ? new JwtIdentity(properties.jwt())
                : authentication -> users.approver(authentication.getName());
    }

    /** The JSON API: stateless, credentials on every call, no cookie a forged request could ride on. */
    @Bean
    @Order(1)
    public SecurityFilterChain api(HttpSecurity http, ObjectMapper objectMapper, ApprovalProperties properties,
                                   ObjectProvider<JwtDecoder> decoder) throws Exception {
        JwtIdentity jwtIdentity = new JwtIdentity(properties.jwt());
        ProblemJson problems = new ProblemJson(objectMapper);
        AuthenticationEntryPoint unauthorized = unauthorized(problems, properties.auth());
        http
                .securityMatcher("/api/**", "/actuator/**")
                // Token-less JSON: every call carries HTTP Basic credentials or a bearer token and there is
                // no session or cookie a browser would send on its own (the page has its own chain, with CSRF).
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden(problems)))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/approvals/*/approve", "/api/approvals/*/reject")
                        .hasRole(ConfiguredUsers.APPROVER_ROLE)
                        .anyRequest().authenticated());
        if (properties.auth() == ApprovalProperties.Auth.JWT) {
            http.httpBasic(AbstractHttpConfigurer::disable)
                    .oauth2ResourceServer(server -> server.authenticationEntryPoint(unauthorized)
                            .jwt(jwt -> jwt.decoder(requireDecoder(decoder)).jwtAuthenticationConverter(jwtIdentity)));
        } else {
            http.httpBasic(basic -> basic.realmName(REALM).authenticationEntryPoint(unauthorized));
        }
        return http.build();
    }

    /**
     * The approvals page: a session with CSRF tokens on every form, a Content-Security-Policy that
     * allows no script. With {@code basic} a login form; with {@code jwt} a bearer token on every
     * request (put an authenticating proxy in front for browsers).
     */
    @Bean
    @Order(2)
    public SecurityFilterChain page(HttpSecurity http, ObjectMapper objectMapper, ApprovalProperties properties,
                                    ObjectProvider<JwtDecoder> decoder) throws Exception {
        JwtIdentity jwtIdentity = new JwtIdentity(properties.jwt());
        ProblemJson problems = new ProblemJson(objectMapper);
        http
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .httpBasic(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/css/**", "/login", "/error", "/favicon.ico").permitAll()
                        .requestMatchers(HttpMethod.POST, "/approvals/*/approve", "/approvals/*/reject")
                        .hasRole(ConfiguredUsers.APPROVER_ROLE)
                        .anyRequest().authenticated());
        if (properties.auth() == ApprovalProperties.Auth.JWT) {
            AuthenticationEntryPoint unauthorized = unauthorized(problems, properties.auth());
            http.formLogin(AbstractHttpConfigurer::disable)
                    .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized)
                            .accessDeniedHandler(forbidden(problems)))
                    .oauth2ResourceServer(server -> server.authenticationEntryPoint(unauthorized)
                            .jwt(jwt -> jwt.decoder(requireDecoder(decoder)).jwtAuthenticationConverter(jwtIdentity)));
        } else {
            http.formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/approvals", true).permitAll())
                    .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                    .exceptionHandling(errors -> errors
                            .authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login"))
                            .accessDeniedHandler(forbidden(problems)));
        }
        return http.build();
    }

    private static JwtDecoder requireDecoder(ObjectProvider<JwtDecoder> decoder) {
        JwtDecoder found = decoder.getIfAvailable();
        if (found == null) {
            throw new IllegalStateException("oneclick.approval.auth=jwt needs the identity provider's keys: set "
                    + "spring.security.oauth2.resourceserver.jwt.jwk-set-uri (or issuer-uri, or public-key-location); "
                    + "see approval-service/README.md, 'Signing in with JWT'.");
        }
        return found;
    }

    private static AuthenticationEntryPoint unauthorized(ProblemJson problems, ApprovalProperties.Auth auth) {
        if (auth == ApprovalProperties.Auth.JWT) {
            BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
            bearer.setRealmName(REALM);
            return (request, response, e) -> {
                bearer.commence(request, response, e); // WWW-Authenticate: Bearer ... error="invalid_token"
                String detail = e instanceof OAuth2AuthenticationException oauth
                        && oauth.getError().getDescription() != null
                        ? "The bearer token was rejected: " + oauth.getError().getDescription()
                        : "Send a bearer token (JWT) from the identity provider.";
                problems.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
            };
        }
        return (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
            problems.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized",
                    "Sign in with a valid user name and password (HTTP Basic).");
        };
    }

    private static AccessDeniedHandler forbidden(ProblemJson problems) {
        return (request, response, e) -> problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
                e instanceof org.springframework.security.web.csrf.CsrfException
                        ? "The form's CSRF token is missing or stale; reload the page and try again."
                        : "Only users with the role " + ConfiguredUsers.APPROVER_ROLE + " may decide requests.");
    }
}
