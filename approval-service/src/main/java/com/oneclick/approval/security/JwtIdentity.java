package com.oneclick.approval.security;

import com.oneclick.approval.ApprovalProperties;
import com.oneclick.approval.queue.Approver;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A JWT's claims as an approver: the user name from {@code username-claim} (else {@code sub}),
 * the email from {@code email-claim}, the roles from {@code roles-claim} — a list or a space- or
 * comma-separated string, found by a dotted path such as {@code realm_access.roles}. A role
 * {@code approver} or {@code ROLE_APPROVER} becomes the authority {@code ROLE_APPROVER}.
 */
public final class JwtIdentity implements Converter<Jwt, AbstractAuthenticationToken>, ApproverIdentity {

    private final ApprovalProperties.Jwt claims;

    public JwtIdentity(ApprovalProperties.Jwt claims) {
        this.claims = claims;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        return new JwtAuthenticationToken(jwt, roles(jwt), username(jwt));
    }

    @Override
    public Approver of(Authentication authentication) {
        if (authentication instanceof JwtAuthenticationToken token) {
            Object email = token.getToken().getClaims().get(claims.emailClaim());
            String address = email instanceof String s && s.contains("@") && !s.isBlank() ? s.strip() : null;
            return new Approver(token.getName(), address);
        }
        return new Approver(authentication.getName(), null);
    }

    String username(Jwt jwt) {
        Object name = jwt.getClaims().get(claims.usernameClaim());
        return name instanceof String s && !s.isBlank() ? s.strip() : jwt.getSubject();
    }

    Collection<GrantedAuthority> roles(Jwt jwt) {
        Object value = jwt.getClaims();
        for (String part : claims.rolesClaim().split("\\.")) {
            value = value instanceof Map<?, ?> map ? map.get(part) : null;
        }
        Stream<String> roles;
        if (value instanceof Collection<?> list) {
            roles = list.stream().filter(String.class::isInstance).map(String.class::cast);
        } else if (value instanceof String text) {
            roles = Stream.of(text.split("[\\s,]+"));
        } else {
            return List.of();
        }
        return roles.map(role -> role.strip().toUpperCase(Locale.ROOT)).filter(role -> !role.isEmpty())
                .map(role -> role.startsWith("ROLE_") ? role : "ROLE_" + role).distinct()
                .map(SimpleGrantedAuthority::new).map(GrantedAuthority.class::cast).toList();
    }
}
