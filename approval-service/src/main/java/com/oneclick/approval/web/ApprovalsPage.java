package com.oneclick.approval.web;

import com.oneclick.approval.ApprovalProperties;
import com.oneclick.approval.queue.AlreadyApprovedException;
import com.oneclick.approval.queue.AlreadyDecidedException;
import com.oneclick.approval.queue.Approval;
import com.oneclick.approval.queue.ApprovalQueue;
import com.oneclick.approval.queue.ApprovalStatus;
import com.oneclick.approval.queue.Approver;
import com.oneclick.approval.queue.DecisionInDoubtException;
import com.oneclick.approval.queue.Decisions;
import com.oneclick.approval.queue.InvalidDecisionException;
import com.oneclick.approval.queue.NoEmailException;
import com.oneclick.approval.queue.QueueNotReadyException;
import com.oneclick.approval.queue.SelfApprovalException;
import com.oneclick.approval.queue.UnknownRequestException;
import com.oneclick.approval.security.ApproverIdentity;
import com.oneclick.approval.security.ConfiguredUsers;
import com.oneclick.model.InstanceRequest;
import com.oneclick.model.InstanceType;
import com.oneclick.model.RequestIds;
import com.oneclick.model.catalog.LabelledValue;
import com.oneclick.model.catalog.Product;
import com.oneclick.spring.EventPublishException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The approvals page: the pending requests with their details, and Approve / Reject (with a
 * reason) for approvers. Server-rendered (Thymeleaf escapes every value), no script; each form
 * carries a CSRF token; each decision answers with a redirect back to the page and a message.
 */
@Controller
public class ApprovalsPage {

    private static final Logger log = LoggerFactory.getLogger(ApprovalsPage.class);
    private static final String BACK = "redirect:/approvals";

    private final ApprovalQueue queue;
    private final Decisions decisions;
    private final ApproverIdentity identity;
    private final ApprovalProperties properties;

    public ApprovalsPage(ApprovalQueue queue, Decisions decisions, ApproverIdentity identity,
                         ApprovalProperties properties) {
        this.queue = queue;
        this.decisions = decisions;
        this.identity = identity;
        this.properties = properties;
    }

    @GetMapping("/")
    public String home() {
        return BACK;
    }

    @GetMapping("/login")
    public String login() {
        return properties.auth() == ApprovalProperties.Auth.BASIC ? "login" : BACK;
    }

    @GetMapping("/approvals")
    public String page(Authentication user, Model model) {
        Approver approver = identity.of(user);
        boolean mayDecide = user.getAuthorities().stream()
                .anyMatch(a -> ("ROLE_" + ConfiguredUsers.APPROVER_ROLE).equals(a.getAuthority()));
        List<Row> rows = queue.list(Optional.of(ApprovalStatus.PENDING)).stream()
                .map(approval -> Row.of(approval, approver)).toList();
        model.addAttribute("rows", rows);
        model.addAttribute("user", approver.username());
        model.addAttribute("mayDecide", mayDecide);
        model.addAttribute("formLogin", properties.auth() == ApprovalProperties.Auth.BASIC);
        return "approvals";
    }

    @PostMapping("/approvals/{id}/approve")
    public String approve(@PathVariable("id") String id, @RequestParam(name = "comment", required = false) String comment,
                          Authentication user, RedirectAttributes flash) {
        return decide(flash, () -> {
            Approval approval = decisions.approve(checked(id), identity.of(user), comment);
            log.info("Request {} approved by {} on the page ({})", id, user.getName(), approval.status());
            return approval.awaitsDecision()
                    ? "Your approval of " + name(approval) + " is recorded; it needs "
                    + (approval.requiredApprovals() - approval.approvedBy().size()) + " more from another approver."
                    : "Approved " + name(approval) + ".";
        });
    }

    @PostMapping("/approvals/{id}/reject")
    public String reject(@PathVariable("id") String id, @RequestParam(name = "reason", required = false) String reason,
                         Authentication user, RedirectAttributes flash) {
        return decide(flash, () -> {
            Approval approval = decisions.reject(checked(id), identity.of(user), reason);
            log.info("Request {} rejected by {} on the page", id, user.getName());
            return "Rejected " + name(approval) + ".";
        });
    }

    private static String decide(RedirectAttributes flash, Supplier<String> decision) {
        try {
            flash.addFlashAttribute("message", decision.get());
        } catch (InvalidDecisionException e) {
            flash.addFlashAttribute("error", e.violations().stream().map(v -> v.field() + " " + v.message())
                    .collect(Collectors.joining("; ")));
        } catch (AlreadyDecidedException | AlreadyApprovedException | SelfApprovalException | NoEmailException
                 | QueueNotReadyException | DecisionInDoubtException | UnknownRequestException e) {
            flash.addFlashAttribute("error", e.getMessage());
        } catch (EventPublishException e) {
            log.warn("{}", e.getMessage(), e);
            flash.addFlashAttribute("error", "The decision was not recorded because the event bus did not "
                    + "acknowledge it; try again.");
        }
        return BACK;
    }

    private static String checked(String id) {
        if (!RequestIds.isValid(id)) {
            throw new UnknownRequestException("(not a request ID)");
        }
        return id;
    }

    private static String name(Approval approval) {
        return "'" + approval.request().name() + "' (" + approval.requestId() + ")";
    }

    /**
     * One pending request as the page shows it.
     *
     * @param productTitle the catalog's title of the request's product (its name if the catalog lacks it)
     * @param parameters   the product's own settings with the catalog's labels, in the catalog's order
     */
    public record Row(Approval approval, String productTitle, List<Setting> parameters, String size,
                      boolean ownRequest, boolean approvedByYou, int missing) {

        static Row of(Approval approval, Approver viewer) {
            InstanceRequest request = approval.request();
            String size = InstanceType.find(request.instanceType())
                    .map(t -> t.vcpus() + " vCPU, " + (t.memoryGiB() == Math.rint(t.memoryGiB())
                            ? String.valueOf((long) t.memoryGiB()) : String.valueOf(t.memoryGiB())) + " GiB")
                    .orElse("");
            Optional<Product> product = request.catalogProduct();
            return new Row(approval, product.map(Product::title).orElse(request.product()),
                    settings(request, product), size, viewer.submitted(request),
                    approval.approvedBy().contains(viewer.username()),
                    Math.max(0, approval.requiredApprovals() - approval.approvedBy().size()));
        }

        /** True when the request's product uses this EC2 field ({@code subnetId}, {@code instanceType}, ...). */
        public boolean uses(String field) {
            return approval.request().catalogProduct().map(p -> p.uses(field)).orElse(true);
        }

        private static List<Setting> settings(InstanceRequest request, Optional<Product> product) {
            return LabelledValue.parameters(product, request.parameters()).stream()
                    .filter(p -> !p.listed() || p.value() != null)
                    .map(p -> new Setting(p.label(), p.value())).toList();
        }
    }

    /** A labelled value of a request. */
    public record Setting(String label, String value) {
    }
}
