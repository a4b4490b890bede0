package com.oneclick.model.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The products a requester can ask for, read from {@code products.json} next to this class. Every
 * service reads the same catalog from shared-model, so the form, the rules, the provisioner and the
 * emails agree on what a product is. A product is data: adding one is a Terraform module per build
 * mode plus an entry in that file, no new code path.
 */
public final class ProductCatalog {

    /** The product of a request that names none (every request before the catalog existed). */
    public static final String DEFAULT_PRODUCT = "ec2-instance";

    private static final ProductCatalog STANDARD = load("products.json");

    private final List<Product> products;

    private ProductCatalog(List<Product> products) {
        this.products = List.copyOf(products);
    }

    /** The catalog shipped in shared-model. */
    public static ProductCatalog standard() {
        return STANDARD;
    }

    public List<Product> products() {
        return products;
    }

    public Optional<Product> find(String name) {
        return products.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The product with that name; a request or row that names another one is a bug upstream. */
    public Product get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no product named " + name
                + " in the catalog (" + names() + ")"));
    }

    public List<String> names() {
        return products.stream().map(Product::name).toList();
    }

    static ProductCatalog load(String resource) {
        ObjectMapper mapper = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        try (InputStream in = ProductCatalog.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the product catalog " + resource + " is missing from shared-model");
            }
            Document document = mapper.readValue(in, Document.class);
            List<String> problems = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            for (Product product : document.products()) {
                product.problems().forEach(p -> problems.add(product.name() + ": " + p));
                if (seen.contains(product.name())) {
                    problems.add(product.name() + ": listed twice");
                }
                seen.add(product.name());
            }
            if (!seen.contains(DEFAULT_PRODUCT)) {
                problems.add("the default product " + DEFAULT_PRODUCT + " is missing");
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("the product catalog " + resource + " is inconsistent: " + problems);
            }
            return new ProductCatalog(document.products());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the product catalog " + resource, e);
        }
    }

    private record Document(List<Product> products) {
    }
}
