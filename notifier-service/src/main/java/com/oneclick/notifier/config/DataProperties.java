package com.oneclick.notifier.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/** Where the service keeps its files ({@code oneclick.data.dir}, ONECLICK_DATA_DIR). */
@ConfigurationProperties("oneclick.data")
public record DataProperties(String dir) {
}
