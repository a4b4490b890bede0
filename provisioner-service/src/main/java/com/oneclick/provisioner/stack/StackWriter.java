package com.oneclick.provisioner.stack;

import com.oneclick.provisioner.inventory.InventoryRow;

import java.util.Map;

/** The port that turns a row into the files of its stack ({@code stacks/<requestId>/}). */
public interface StackWriter {

    /** File name inside the stack directory → content. */
    Map<String, byte[]> stackFiles(InventoryRow row);
}
