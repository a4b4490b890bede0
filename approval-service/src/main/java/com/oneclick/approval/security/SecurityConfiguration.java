package com.oneclick.approval.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.approval.ApprovalProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * HTTP Basic against the configured users; reading the queue needs any user, deciding needs the
 * role APPROVER. 401 and 403 are application/problem+json like every other error.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
    private static final String REALM = "oneclick";

    @Bean
    public ConfiguredUsers configuredUsers(ApprovalProperties properties) {
        ConfiguredUsers users = ConfiguredUsers.from(properties);
        users.warnings().forEach(warning -> log.warn("Approval users: {}", warning));
        return users;
    }

    @Bean
    public InMemoryUserDetailsManager userDetailsService(ConfiguredUsers users) {
        return users.userDetailsManager();
    }

    @Bean
    public PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    public SecurityFilterChain api(HttpSecurity http, ObjectMapper objectMapper) throws Exception {
        ProblemJson problems = new ProblemJson(objectMapper);
        AuthenticationEntryPoint unauthorized = (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
            problems.write(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized",
                    "Sign in with a valid user name and password (HTTP Basic).");
        };
        AccessDeniedHandler forbidden = (request, response, e) -> problems.write(request, response,
                HttpStatus.FORBIDDEN, "Forbidden", "Only users with the role " + ConfiguredUsers.APPROVER_ROLE
                        + " may decide requests.");
        http
                // A token-less JSON API: every call carries HTTP Basic credentials and there is no session
                // or cookie a browser would send on its own, so there is nothing for CSRF to ride on.
                // (The web form of a later issue, with a session, gets CSRF protection.)
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .httpBasic(basic -> basic.realmName(REALM).authenticationEntryPoint(unauthorized))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/error")
                        .permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/approvals/*/approve", "/api/approvals/*/reject")
                        .hasRole(ConfiguredUsers.APPROVER_ROLE)
                        .requestMatchers(HttpMethod.GET, "/api/approvals", "/api/approvals/*").authenticated()
                        .anyRequest().authenticated());
        return http.build();
    }
}
