package com.oneclick.notifier.mail;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateTest {

    @Test
    void insertsValuesThroughTheEncoderAndNeverInterpretsThem() {
        // given
        Template template = new Template("t", "Hello {{name}}!");

        // when
        String html = template.render(Map.of("name", "<b>{{other}}</b>"), Html::escape);

        // then
        assertThat(html).isEqualTo("Hello &lt;b&gt;{{other}}&lt;/b&gt;!");
    }

    @Test
    void keepsOrDropsSectionsAndTheirStandaloneLines() {
        // given
        Template template = new Template("t", "a\n{{#flag}}\nshown\n{{/flag}}\n{{^flag}}\nhidden\n{{/flag}}\nb\n");
        Map<String, Object> on = Map.of("flag", true);
        Map<String, Object> off = new HashMap<>();
        off.put("flag", null);

        // when / then
        assertThat(template.render(on, UnaryOperator.identity())).isEqualTo("a\nshown\nb\n");
        assertThat(template.render(off, UnaryOperator.identity())).isEqualTo("a\nhidden\nb\n");
    }

    @Test
    void refusesANameTheModelDoesNotDefine() {
        // given
        Template template = new Template("t", "Hello {{nmae}}");

        // when / then
        assertThatThrownBy(() -> template.render(Map.of("name", "x"), UnaryOperator.identity()))
                .hasMessageContaining("nmae");
    }

    @Test
    void refusesAnUnclosedSection() {
        // given
        Template template = new Template("t", "{{#flag}}never closed");

        // when / then
        assertThatThrownBy(() -> template.render(Map.of("flag", true), UnaryOperator.identity()))
                .hasMessageContaining("unmatched");
    }
}
