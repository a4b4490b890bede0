package com.oneclick.request.web;

import com.oneclick.model.catalog.Parameter;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The OpenAPI document ({@code /v3/api-docs}): its header, and what the request schema cannot say
 * by itself (shared-model carries no annotations): what {@code product} and {@code parameters}
 * mean, which fields only EC2 requests use, and an example body per catalog product. Everything
 * product-specific is read from the {@link ProductCatalog}, so a new product appears here as it
 * appears in the catalog.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocumentation {

    static final String REQUEST_SCHEMA = "InstanceRequest";

    @Bean
    public OpenAPI requestServiceApi() {
        String titles = ProductCatalog.standard().products().stream().map(Product::title)
                .collect(Collectors.joining(", "));
        return new OpenAPI().info(new Info().title("OneClick request-service").version("1")
                .description("Submit requests for the products of the catalog (" + titles + ") and follow them "
                        + "through approval, provisioning and email. Errors are application/problem+json "
                        + "(RFC 9457); invalid input lists one {field, message} per field under 'errors'."));
    }

    @Bean
    public OpenApiCustomizer productDocumentation() {
        return openApi -> {
            ProductCatalog catalog = ProductCatalog.standard();
            if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
                Schema<?> request = openApi.getComponents().getSchemas().get(REQUEST_SCHEMA);
                if (request != null && request.getProperties() != null) {
                    describe(request.getProperties(), catalog);
                }
            }
            PathItem path = openApi.getPaths() == null ? null : openApi.getPaths().get("/api/requests");
            Operation post = path == null ? null : path.getPost();
            if (post != null && post.getRequestBody() != null && post.getRequestBody().getContent() != null) {
                MediaType json = post.getRequestBody().getContent().get(org.springframework.http.MediaType.APPLICATION_JSON_VALUE);
                if (json != null) {
                    catalog.products().forEach(product -> json.addExamples(product.name(),
                            new Example().summary(product.title()).value(example(product))));
                }
            }
        };
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void describe(Map<String, Schema> properties, ProductCatalog catalog) {
        Schema product = properties.get("product");
        if (product != null) {
            product.setDescription("The catalog product asked for: " + catalog.products().stream()
                    .map(p -> p.name() + " (" + p.title() + ")").collect(Collectors.joining(", "))
                    + ". Absent or null: " + ProductCatalog.DEFAULT_PRODUCT + ".");
            product.setEnum(new ArrayList<>(catalog.names()));
            example(catalog).ifPresent(other -> product.setExample(other.name()));
        }
        Schema parameters = properties.get("parameters");
        if (parameters != null) {
            parameters.setDescription("The product's own settings, name -> value as text (a list is one text "
                    + "with its values separated by commas); every parameter of the product is required, no "
                    + "others are allowed; violations are reported as parameters[<name>]. " + catalog.products()
                    .stream().map(ApiDocumentation::parameterList).collect(Collectors.joining(" ")));
            example(catalog).ifPresent(other -> parameters.setExample(exampleParameters(other)));
        }
        for (String field : Product.PRODUCT_FIELDS) {
            Schema schema = properties.get(field);
            if (schema != null) {
                schema.setDescription("Only for " + catalog.products().stream().filter(p -> p.uses(field))
                        .map(Product::name).collect(Collectors.joining(", ")) + " requests; leave it out otherwise.");
            }
        }
    }

    /** The product the schema's examples show: the first one besides the default (aurora-mysql). */
    private static Optional<Product> example(ProductCatalog catalog) {
        return catalog.products().stream().filter(p -> !p.parameters().isEmpty()).findFirst();
    }

    private static String parameterList(Product product) {
        if (product.parameters().isEmpty()) {
            return product.name() + ": none.";
        }
        return product.name() + ": " + product.parameters().stream().map(ApiDocumentation::parameterText)
                .collect(Collectors.joining("; ")) + ".";
    }

    private static String parameterText(Parameter parameter) {
        String rule = switch (parameter.kind()) {
            case CHOICE -> "one of " + String.join(", ", parameter.choices());
            case INTEGER -> "a whole number from " + parameter.min() + " to " + parameter.max();
            case ID_LIST -> parameter.min() + " to " + parameter.max() + " IDs separated by commas";
            case TEXT -> "text matching " + parameter.pattern();
        };
        return parameter.name() + " (" + parameter.label() + ": " + rule + ")";
    }

    /** A valid body for the product: EC2 fields where it uses them, each parameter's example or default. */
    static Map<String, Object> example(Product product) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (!product.name().equals(ProductCatalog.DEFAULT_PRODUCT)) {
            body.put("product", product.name());
        }
        body.put("name", product.uses("instanceType") ? "build-agent-7" : "orders-db");
        body.put("requesterEmail", "dev@example.com");
        body.put("region", "eu-west-1");
        body.put("vpcId", "vpc-0a1b2c3d");
        Map<String, Object> ec2 = Map.of("subnetId", "subnet-0a1b2c3d4e5f67890", "instanceType", "t3.micro",
                "amiId", "ami-0123456789abcdef0", "keyName", "dev-laptop", "rootVolumeGiB", 20);
        Product.PRODUCT_FIELDS.stream().filter(product::uses).forEach(field -> body.put(field, ec2.get(field)));
        body.put("securityGroupIds", List.of("sg-0a1b2c3d"));
        body.put("tags", Map.of("team", "payments"));
        body.put("timeToLiveHours", 168);
        if (!product.parameters().isEmpty()) {
            body.put("parameters", exampleParameters(product));
        }
        return body;
    }

    private static Map<String, String> exampleParameters(Product product) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Parameter parameter : product.parameters()) {
            String value = parameter.example() != null ? parameter.example()
                    : parameter.defaultValue() != null ? parameter.defaultValue()
                    : !parameter.choices().isEmpty() ? parameter.choices().get(0)
                    : parameter.min() != null ? String.valueOf(parameter.min()) : "";
            values.put(parameter.name(), parameter.normalize(value));
        }
        return values;
    }
}
