package com.oneclick.model.events;

import com.oneclick.model.InstanceRequest;

/** An event that carries the whole request, so its consumer needs nothing from another service. */
public interface CarriesRequest {

    InstanceRequest request();
}
