package com.oneclick.request.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The web pages' settings ({@code oneclick.form.*}): the form's defaults, the operating systems a
 * requester can choose instead of an AMI ID, and how often the status page asks for news.
 *
 * @param defaults    what the empty form shows
 * @param images      the OS choice: each maps to one AMI ID per region
 * @param statusPoll  how often an open status page polls while the request is in flight
 */
@ConfigurationProperties("oneclick.form")
public record FormProperties(@DefaultValue Defaults defaults, List<Image> images,
                             @DefaultValue("2s") Duration statusPoll) {

    public FormProperties {
        images = images == null ? List.of() : List.copyOf(images);
        for (Image image : images) {
            if (image.id() == null || !image.id().matches("[a-z0-9-]{1,64}")) {
                throw new IllegalArgumentException("oneclick.form.images[].id must be 1 to 64 of a-z, 0-9, '-': "
                        + image.id());
            }
        }
    }

    /**
     * @param region        the region the empty form proposes
     * @param instanceType  the instance type the empty form proposes (from the allow-list)
     * @param rootVolumeGiB the root volume size the empty form proposes
     */
    public record Defaults(@DefaultValue("eu-west-1") String region, @DefaultValue("t3.micro") String instanceType,
                           @DefaultValue("20") Integer rootVolumeGiB) {
    }

    /**
     * @param id    what the form sends, e.g. {@code amazon-linux-2023}
     * @param label what the requester reads, e.g. {@code Amazon Linux 2023}
     * @param amis  region code to AMI ID, e.g. {@code eu-west-1: ami-0123456789abcdef0}
     */
    public record Image(String id, String label, Map<String, String> amis) {

        public Image {
            amis = amis == null ? Map.of() : Map.copyOf(amis);
        }
    }
}
