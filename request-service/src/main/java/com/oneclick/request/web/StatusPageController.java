package com.oneclick.request.web;

import com.oneclick.model.InstanceRequest;
import com.oneclick.model.RequestIds;
import com.oneclick.model.validation.FieldViolation;
import com.oneclick.model.validation.RequestValidator;
import com.oneclick.request.status.InstanceView;
import com.oneclick.request.status.RequestStatuses;
import com.oneclick.request.status.RequestView;
import com.oneclick.spring.NotFoundException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

import java.util.List;
import java.util.Optional;

/**
 * The status page of a request ({@code GET /requests/{id}}), the JSON its script polls
 * ({@code GET /requests/{id}/progress}), and a requester's list ({@code GET /requests?email=}).
 */
@Controller
public class StatusPageController {

    private final RequestStatuses statuses;
    private final FormProperties properties;

    public StatusPageController(RequestStatuses statuses, FormProperties properties) {
        this.statuses = statuses;
        this.properties = properties;
    }

    @GetMapping("/requests/{id}")
    public String status(@PathVariable("id") String id, Model model, HttpServletResponse response) {
        Optional<RequestView> view = find(id);
        if (view.isEmpty()) {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            return "not-found";
        }
        model.addAttribute("page", StatusPage.of(view.get()));
        model.addAttribute("pollMillis", properties.statusPoll().toMillis());
        return "status";
    }

    /** What the status page's script polls: the same model the page was rendered from. */
    @GetMapping(path = "/requests/{id}/progress", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    public StatusPage progress(@PathVariable("id") String id) {
        return find(id).map(StatusPage::of).orElseThrow(() -> new NotFoundException("There is no request " + id + "."));
    }

    @GetMapping(path = "/requests", produces = MediaType.TEXT_HTML_VALUE)
    public String list(@RequestParam(name = "email", required = false) String email, Model model,
                       HttpServletResponse response) {
        model.addAttribute("email", email);
        if (email == null || email.isBlank()) {
            return "list";
        }
        String trimmed = email.strip();
        List<FieldViolation> violations = RequestValidator.validate(probe(trimmed)).stream()
                .filter(v -> v.field().equals("requesterEmail")).toList();
        if (!violations.isEmpty()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("emailError", violations.get(0).message());
            return "list";
        }
        model.addAttribute("requests", statuses.byRequester(trimmed).stream().map(ListItem::of).toList());
        return "list";
    }

    /** Only the email is looked at; the shared rules decide what an email address is. */
    private static InstanceRequest probe(String email) {
        return new InstanceRequest(null, email, null, null, null, null, null, null, null, null, null);
    }

    private Optional<RequestView> find(String id) {
        return RequestIds.isValid(id) ? statuses.find(id) : Optional.empty();
    }

    /**
     * One row of the list page.
     *
     * @param product      the product's title
     * @param instanceType the instance type, for products that have one
     * @param outputs      what the build made, once provisioned (labelled as on the status page)
     */
    public record ListItem(String requestId, String name, String product, String instanceType, String region,
                           String statusLabel, String submittedAt, List<InstanceView.OutputValue> outputs) {

        static ListItem of(RequestView view) {
            InstanceRequest request = view.request();
            return new ListItem(view.requestId(), request.name(), StatusPage.productTitle(request),
                    request.instanceType(), request.region(), StatusPage.statusLabel(view.status()),
                    view.timeline().isEmpty() ? null : StatusPage.time(view.timeline().get(0).at()),
                    view.instance() == null ? List.of() : view.instance().outputs());
        }
    }
}
