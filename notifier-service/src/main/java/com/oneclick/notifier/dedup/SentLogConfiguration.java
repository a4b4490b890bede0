package com.oneclick.notifier.dedup;

import com.oneclick.notifier.config.DataProperties;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/** The sent log lives in {@code <ONECLICK_DATA_DIR>/sent.log}. */
@Factory
public class SentLogConfiguration {

    @Singleton
    @Bean(preDestroy = "close")
    public SentLog sentLog(DataProperties data) {
        return new SentLog(Path.of(data.dir()));
    }
}
