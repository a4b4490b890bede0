package com.oneclick.request.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the web form posts, as typed: every value is text so that a bad one can be shown again
 * next to its message. {@link FormMapping} turns it into an {@code InstanceRequest}. {@code product}
 * is the catalog product the form was drawn for; {@code parameters} its own settings, posted as
 * {@code parameters[<name>]}.
 */
public class RequestForm {

    /** Blank tag rows the form offers. */
    static final int TAG_ROWS = 3;

    private String formToken;
    private String product;
    private String name;
    private String requesterEmail;
    private String region;
    private String vpcId;
    private String subnetId;
    private String instanceType;
    private String image;
    private String amiId;
    private String keyName;
    private String rootVolumeGiB;
    private String securityGroupIds;
    private String timeToLiveHours;
    private List<TagRow> tags = new ArrayList<>();
    private Map<String, String> parameters = new LinkedHashMap<>();

    /** A key/value row of the tags table. */
    public static class TagRow {
        private String key;
        private String value;

        public TagRow() {
        }

        public TagRow(String key, String value) {
            this.key = key;
            this.value = value;
        }

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }

        public String getValue() {
            return value;
        }

        public void setValue(String value) {
            this.value = value;
        }

        boolean isBlank() {
            return (key == null || key.isBlank()) && (value == null || value.isBlank());
        }
    }

    /** Appends blank tag rows (rows are never removed, so messages keyed by row stay in place). */
    void addBlankTags(int rows) {
        for (int i = 0; i < rows; i++) {
            tags.add(new TagRow());
        }
    }

    boolean hasBlankTagRow() {
        return tags.stream().anyMatch(row -> row == null || row.isBlank());
    }

    public String getFormToken() {
        return formToken;
    }

    public void setFormToken(String formToken) {
        this.formToken = formToken;
    }

    public String getProduct() {
        return product;
    }

    public void setProduct(String product) {
        this.product = product;
    }

    public Map<String, String> getParameters() {
        return parameters;
    }

    public void setParameters(Map<String, String> parameters) {
        this.parameters = parameters == null ? new LinkedHashMap<>() : parameters;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getRequesterEmail() {
        return requesterEmail;
    }

    public void setRequesterEmail(String requesterEmail) {
        this.requesterEmail = requesterEmail;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public String getVpcId() {
        return vpcId;
    }

    public void setVpcId(String vpcId) {
        this.vpcId = vpcId;
    }

    public String getSubnetId() {
        return subnetId;
    }

    public void setSubnetId(String subnetId) {
        this.subnetId = subnetId;
    }

    public String getInstanceType() {
        return instanceType;
    }

    public void setInstanceType(String instanceType) {
        this.instanceType = instanceType;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getAmiId() {
        return amiId;
    }

    public void setAmiId(String amiId) {
        this.amiId = amiId;
    }

    public String getKeyName() {
        return keyName;
    }

    public void setKeyName(String keyName) {
        this.keyName = keyName;
    }

    public String getRootVolumeGiB() {
        return rootVolumeGiB;
    }

    public void setRootVolumeGiB(String rootVolumeGiB) {
        this.rootVolumeGiB = rootVolumeGiB;
    }

    public String getSecurityGroupIds() {
        return securityGroupIds;
    }

    public void setSecurityGroupIds(String securityGroupIds) {
        this.securityGroupIds = securityGroupIds;
    }

    public String getTimeToLiveHours() {
        return timeToLiveHours;
    }

    public void setTimeToLiveHours(String timeToLiveHours) {
        this.timeToLiveHours = timeToLiveHours;
    }

    public List<TagRow> getTags() {
        return tags;
    }

    public void setTags(List<TagRow> tags) {
        this.tags = tags == null ? new ArrayList<>() : tags;
    }
}
