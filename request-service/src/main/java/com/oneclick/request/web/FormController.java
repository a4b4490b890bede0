package com.oneclick.request.web;

import com.oneclick.model.InstanceType;
import com.oneclick.model.catalog.Parameter;
import com.oneclick.model.catalog.Product;
import com.oneclick.model.catalog.ProductCatalog;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.model.validation.RequestValidator;
import com.oneclick.request.intake.RequestIntake;
import com.oneclick.request.intake.RequestIntake.Outcome;
import com.oneclick.spring.EventPublishException;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.view.RedirectView;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The request form: {@code GET /?product=<name>} shows it for a product of the catalog (by default
 * {@value ProductCatalog#DEFAULT_PRODUCT}), {@code POST /requests} submits it through the same use
 * case (and so the same rules) as the REST API. The form carries a one-time token that is the
 * submission's idempotency key: sending the same form twice (a double click, a reload of the
 * answer, the back button) lands on the one request it made.
 *
 * <p>The fields every product shares and the EC2 fields (for products that use them) are the
 * template's; a product's own parameters are drawn from its catalog entry, so a new product needs
 * no change here or in the template.
 */
@Controller
public class FormController {

    private static final Logger log = LoggerFactory.getLogger(FormController.class);

    private static final Map<String, String> LABELS = Map.ofEntries(Map.entry("name", "Name"),
            Map.entry("requesterEmail", "Your email"), Map.entry("region", "AWS region"),
            Map.entry("vpcId", "VPC ID"), Map.entry("subnetId", "Subnet ID"),
            Map.entry("securityGroupIds", "Security groups"), Map.entry("instanceType", "Instance type"),
            Map.entry("image", "Operating system"), Map.entry("amiId", "AMI ID"),
            Map.entry("rootVolumeGiB", "Root volume"), Map.entry("keyName", "Key pair name"),
            Map.entry("timeToLiveHours", "Time to live"), Map.entry("tags", "Tags"), Map.entry("product", "Product"));

    private final RequestIntake intake;
    private final FormProperties properties;
    private final FormMapping mapping;

    public FormController(RequestIntake intake, FormProperties properties) {
        this.intake = intake;
        this.properties = properties;
        this.mapping = new FormMapping(properties);
    }

    /**
     * The empty form for one product ({@code ?product=aurora-mysql}; none: the default). A name the
     * catalog does not know gets a 404 with the default product's form and a note.
     */
    @GetMapping("/")
    public String form(@RequestParam(name = "product", required = false) String productName, Model model,
                       HttpServletResponse response) {
        ProductCatalog catalog = ProductCatalog.standard();
        Notice notice = null;
        Product product = catalog.get(ProductCatalog.DEFAULT_PRODUCT);
        if (productName != null && !productName.isBlank()) {
            Optional<Product> found = catalog.find(productName.strip());
            if (found.isPresent()) {
                product = found.get();
            } else {
                response.setStatus(HttpStatus.NOT_FOUND.value());
                notice = new Notice("The catalog has no such product. Here is the form for " + product.title()
                        + "; choose another product above.", null);
            }
        }
        RequestForm form = new RequestForm();
        form.setProduct(product.name());
        form.setRegion(properties.defaults().region());
        if (product.uses("instanceType")) {
            form.setInstanceType(properties.defaults().instanceType());
        }
        if (product.uses("rootVolumeGiB")) {
            form.setRootVolumeGiB(String.valueOf(properties.defaults().rootVolumeGiB()));
        }
        if (product.uses("amiId") && !properties.images().isEmpty()) {
            form.setImage(properties.images().get(0).id());
        }
        for (Parameter parameter : product.parameters()) {
            form.getParameters().put(parameter.name(), parameter.defaultValue());
        }
        form.setFormToken(newToken());
        form.addBlankTags(RequestForm.TAG_ROWS);
        return render(model, form, Map.of(), notice);
    }

    /**
     * Submits the form; {@code addTag} (the "add a tag row" button) only shows the form again with
     * one more row, so tags need no script.
     */
    @PostMapping(path = "/requests", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    public Object submit(@ModelAttribute("form") RequestForm form,
                         @RequestParam(name = "addTag", required = false) String addTag,
                         Model model, HttpServletResponse response) {
        if (addTag != null) {
            List<FieldViolation> keys = mapping.map(form).formViolations().stream()
                    .filter(v -> FormMapping.isKeyMaterialMessage(v.message())).toList();
            return again(model, form, keys, 1, null);
        }
        if (form.getFormToken() == null || !isToken(form.getFormToken())) {
            form.setFormToken(newToken());
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return again(model, form, List.of(), 0, new Notice("The form was incomplete (its one-time token was "
                    + "missing). Nothing was sent: check the values and submit again.", null));
        }
        FormMapping.Mapped mapped = mapping.map(form);
        Outcome outcome;
        try {
            outcome = intake.submit(mapped.request(), mapped.formViolations(), form.getFormToken());
        } catch (EventPublishException e) {
            log.warn("form submission not recorded: {}", e.getMessage());
            response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
            return again(model, form, List.of(), 0, new Notice("The request could not be recorded: the event bus "
                    + "did not answer. Your values are kept; submit again in a moment (it will not make two "
                    + "requests).", null));
        }
        if (outcome instanceof Outcome.Refused refused) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return again(model, form, refused.violations(), 0, null);
        }
        if (outcome instanceof Outcome.KeyReused reused) {
            form.setFormToken(newToken());
            response.setStatus(HttpStatus.CONFLICT.value());
            return again(model, form, List.of(), 0, new Notice("This form had already been sent, as the request "
                    + "linked here; your changes were not sent. Submit again to make a new request with them.",
                    "/requests/" + reused.requestId()));
        }
        RedirectView redirect = new RedirectView("/requests/" + ((Outcome.Accepted) outcome).requestId(), true);
        redirect.setStatusCode(HttpStatus.SEE_OTHER);
        redirect.setExposeModelAttributes(false);
        return (View) redirect;
    }

    private String again(Model model, RequestForm form, List<FieldViolation> violations, int extraRows, Notice notice) {
        Map<String, String> errors = mapping.messagesByField(form, violations);
        FormMapping.clearKeyMaterial(form);
        form.getTags().replaceAll(row -> row == null ? new RequestForm.TagRow() : row);
        form.addBlankTags(extraRows > 0 ? extraRows : form.hasBlankTagRow() ? 0 : 1);
        return render(model, form, errors, notice);
    }

    private String render(Model model, RequestForm form, Map<String, String> errors, Notice notice) {
        ProductCatalog catalog = ProductCatalog.standard();
        Product product = catalog.find(FormMapping.productName(form))
                .orElseGet(() -> catalog.get(ProductCatalog.DEFAULT_PRODUCT));
        form.setProduct(product.name());
        model.addAttribute("product", product);
        model.addAttribute("products", catalog.products());
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("notice", notice);
        model.addAttribute("instanceTypes", InstanceType.ALLOWED.stream().map(FormController::option).toList());
        model.addAttribute("images", properties.images());
        TreeSet<String> regions = new TreeSet<>();
        regions.add(properties.defaults().region());
        properties.images().forEach(image -> regions.addAll(image.amis().keySet()));
        model.addAttribute("regions", regions);
        model.addAttribute("limits", new Limits());
        model.addAttribute("hints", ClientHints.FORM);
        model.addAttribute("summary", summary(errors, labels(form, product)));
        return "form";
    }

    private static Map<String, String> labels(RequestForm form, Product product) {
        Map<String, String> labels = new HashMap<>(LABELS);
        for (int i = 0; i < form.getTags().size(); i++) {
            labels.put("tags[" + i + "]", "Tag " + (i + 1));
        }
        product.parameters().forEach(parameter -> labels.put(parameter.field(), parameter.label()));
        return labels;
    }

    /** The error summary: each message with its field's label and a link to the field. */
    private static List<SummaryEntry> summary(Map<String, String> errors, Map<String, String> labels) {
        return errors.entrySet().stream().map(error -> new SummaryEntry("#" + anchor(error.getKey()),
                labels.getOrDefault(error.getKey(), error.getKey()) + ": " + error.getValue())).toList();
    }

    /** The id of the input a field's message belongs to. */
    static String anchor(String field) {
        if (field.matches("tags\\[\\d+]")) {
            return "tag-key-" + field.substring("tags[".length(), field.length() - 1);
        }
        if (field.startsWith("parameters[") && field.endsWith("]")) {
            return parameterId(field.substring("parameters[".length(), field.length() - 1));
        }
        return field.equals("product") ? "product-choice" : field;
    }

    /** The id of a parameter's input ({@code parameter-subnetIds}); the template uses the same. */
    static String parameterId(String name) {
        return "parameter-" + name;
    }

    private static Option option(InstanceType type) {
        String memory = type.memoryGiB() == Math.rint(type.memoryGiB())
                ? String.valueOf((long) type.memoryGiB()) : String.valueOf(type.memoryGiB());
        return new Option(type.name(), type.name() + " — " + type.vcpus() + " vCPU, " + memory + " GiB memory");
    }

    private static String newToken() {
        return UUID.randomUUID().toString();
    }

    private static boolean isToken(String token) {
        try {
            return UUID.fromString(token).toString().equals(token);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A value and its label in a choice. */
    public record Option(String value, String label) {
    }

    /** One line of the error summary: the link to the field and the message with the field's label. */
    public record SummaryEntry(String href, String text) {
    }

    /** A message above the form, with an optional link. */
    public record Notice(String message, String link) {
    }

    /** The rules' limits, for the inputs' client-side hints ({@code maxlength}, {@code min}, {@code max}). */
    public record Limits(int nameMax, int emailMax, int keyNameMax, int rootVolumeMin, int rootVolumeMax,
                         int tagKeyMax, int tagValueMax, int timeToLiveMin, int timeToLiveMax) {
        Limits() {
            this(RequestValidator.NAME_MAX, RequestValidator.EMAIL_MAX, RequestValidator.KEY_NAME_MAX,
                    RequestValidator.ROOT_VOLUME_MIN_GIB, RequestValidator.ROOT_VOLUME_MAX_GIB,
                    RequestValidator.TAG_KEY_MAX, RequestValidator.TAG_VALUE_MAX,
                    RequestValidator.TIME_TO_LIVE_MIN_HOURS, RequestValidator.TIME_TO_LIVE_MAX_HOURS);
        }
    }
}
