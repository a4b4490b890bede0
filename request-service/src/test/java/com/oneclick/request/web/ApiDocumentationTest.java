package com.oneclick.request.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.catalog.Parameter;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;
import com.oneclick.model.validation.RequestValidator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document's example bodies are requests the rules accept, one per catalog product. */
class ApiDocumentationTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everyProductsExampleBodyIsAValidRequestForThatProduct() {
        for (Product product : ProductCatalog.standard().products()) {
            // when
            InstanceRequest request = json.convertValue(ApiDocumentation.example(product), InstanceRequest.class)
                    .normalized();

            // then
            assertThat(request.product()).as(product.name()).isEqualTo(product.name());
            assertThat(RequestValidator.validate(request)).as(product.name()).isEmpty();
            assertThat(request.parameters().keySet()).as(product.name()).containsExactlyElementsOf(
                    product.parameters().stream().map(Parameter::name).toList());
        }
    }
}
