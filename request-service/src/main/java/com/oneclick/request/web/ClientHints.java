package com.oneclick.request.web;

/**
 * HTML {@code pattern} attributes for the form: a hint the browser checks before sending, never a
 * rule. The server applies {@code RequestValidator} to everything; {@code ClientHintsTest} keeps
 * these in line with it, so a browser never blocks a value the rules accept.
 */
public record ClientHints(String region, String vpcId, String subnetId, String amiId) {

    static final ClientHints FORM = new ClientHints(
            "[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[1-9]",
            "vpc-([0-9a-f]{8}|[0-9a-f]{17})",
            "subnet-([0-9a-f]{8}|[0-9a-f]{17})",
            "ami-([0-9a-f]{8}|[0-9a-f]{17})");
}
