package com.oneclick.notifier.mail;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
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
    void refusesAnUnclosedSectionWhenTheTemplateIsMade() {
        // when / then
        assertThatThrownBy(() -> new Template("t", "{{#flag}}never closed"))
                .hasMessageContaining("unmatched {{#flag}}");
        assertThatThrownBy(() -> new Template("t", "{{#a}}x{{/b}}{{/a}}")).hasMessageContaining("unmatched {{/b}}");
        assertThatThrownBy(() -> new Template("t", "Hello {{na me}}")).hasMessageContaining("malformed");
    }

    @Test
    void repeatsASectionForEachMapOfAListWithItsKeysAndTheModels() {
        // given
        Template template = new Template("t", "{{title}}:\n{{#rows}}\n- {{label}}: {{value}} ({{title}})\n{{/rows}}\n"
                + "{{^rows}}\nnone\n{{/rows}}\nend\n");
        Map<String, Object> two = Map.of("title", "T", "rows", List.of(
                Map.of("label", "Writer endpoint", "value", "<w>"), Map.of("label", "Port", "value", "{{title}}")));
        Map<String, Object> none = Map.of("title", "T", "rows", List.of());

        // when / then: item values are encoded and never interpreted, like the model's
        assertThat(template.render(two, Html::escape))
                .isEqualTo("T:\n- Writer endpoint: &lt;w&gt; (T)\n- Port: {{title}} (T)\nend\n");
        assertThat(template.render(none, UnaryOperator.identity())).isEqualTo("T:\nnone\nend\n");
    }
}
