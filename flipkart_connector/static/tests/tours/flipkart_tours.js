/** @odoo-module **/
/* The flows a seller's team does by hand, as they do them (tests/test_tours.py
 * prepares the data and checks the outcome in the database). */
import {registry} from "@web/core/registry";
import {formatDate} from "@web/core/l10n/dates";
import {stepUtils} from "@web_tour/tour_service/tour_utils";
/* global luxon */

const tours = registry.category("web_tour.tours");

/** A value only the Python test knows, passed as a cookie. */
function cookie(name) {
    const entry = document.cookie.split("; ").find((c) => c.startsWith(`${name}=`));
    return entry ? decodeURIComponent(entry.slice(name.length + 1)) : "";
}

/** Sales > Flipkart > ... > the menu item. */
function openFlipkartMenu(xmlid) {
    return [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open Sales"),
        {
            trigger:
                ".o_menu_sections [data-menu-xmlid='flipkart_connector.flipkart_menu']",
            run: "click",
        },
        {
            trigger: `.dropdown-item[data-menu-xmlid='flipkart_connector.${xmlid}']`,
            run: "click",
        },
    ];
}

/** With screenshots on (scripts/screenshots), the test saves this screen. */
function screenshot(name) {
    return {
        content: `Screenshot: ${name}`,
        trigger: "body",
        async run() {
            if (cookie("flipkart_screenshots") !== "1") {
                return;
            }
            // Passing notifications are not the screen; animations settle.
            for (const close of document.querySelectorAll(".o_notification_close")) {
                close.click();
            }
            await new Promise((resolve) => setTimeout(resolve, 800));
            console.log(`flipkart-screenshot:${name}`);
            for (
                let i = 0;
                i < 100 && document.body.dataset.flipkartShot !== name;
                i++
            ) {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
        },
    };
}

tours.add("flipkart_setup_wizard", {
    steps: () => [
        ...openFlipkartMenu("flipkart_setup_wizard_menu"),
        {trigger: ".modal h3:contains('Before you start')"},
        {trigger: ".modal-footer button[name=action_next]", run: "click"},
        {trigger: ".modal div[name=seller_id] input"},
        // Next with nothing filled in marks the fields, no error dialog.
        {trigger: ".modal-footer button[name=action_next]", run: "click"},
        {trigger: ".modal .o_field_invalid[name=seller_id]"},
        {trigger: "body:not(:has(.o_error_dialog))"},
        {trigger: ".modal div[name=name] input", run: "edit Flipkart Tour"},
        {trigger: ".modal div[name=environment] select", run: "selectByLabel Sandbox"},
        {
            trigger: ".modal div[name=api_base_url] input",
            run: (helpers) => helpers.edit(cookie("flipkart_tour_host")),
        },
        {trigger: ".modal div[name=seller_id] input", run: "edit TOURSELLER"},
        {
            trigger: ".modal div[name=app_id] input",
            run: (helpers) => helpers.edit(cookie("flipkart_tour_app")),
        },
        {
            trigger: ".modal div[name=app_secret] input",
            run: (helpers) => helpers.edit(cookie("flipkart_tour_secret")),
        },
        screenshot("setup_wizard"),
        {trigger: ".modal-footer button[name=action_next]", run: "click"},
        {trigger: ".modal .o_field_x2many_list_row_add > a", run: "click"},
        {
            trigger: ".modal .o_data_row div[name=flipkart_location_id] input",
            run: "edit LOC0002",
        },
        {
            trigger: ".modal .o_data_row div[name=warehouse_id] input",
            run: "edit Flipkart Test",
        },
        {trigger: ".ui-menu-item > a:contains('Flipkart Test')", run: "click"},
        {trigger: ".modal-footer button[name=action_next]", run: "click"},
        {trigger: ".modal div[name=is_self_ship]"},
        // Testing belongs to the last step only.
        {trigger: ".modal-footer:not(:has(button[name=action_test_connection]))"},
        {trigger: ".modal-footer button[name=action_next]", run: "click"},
        {trigger: ".modal-footer button[name=action_test_connection]", run: "click"},
        {trigger: ".modal .alert-success:contains('Connected')"},
        {trigger: ".modal-footer button:contains('Finish')", run: "click"},
        {
            trigger:
                ".o_form_view .o_field_widget[name=connection_state] :contains('Connected')",
        },
        {trigger: ".o_form_view div[name=name] input:value(Flipkart Tour)"},
        screenshot("account_form"),
        // The warehouse once in the location list.
        {trigger: ".o_notebook .nav-link[name=locations]", run: "click"},
        {
            trigger:
                "div[name=location_ids] .o_data_row .o_data_cell[name=flipkart_location_id]:contains('LOC0002')",
        },
        {trigger: "div[name=location_ids]:not(:has(th[data-name=name]))"},
    ],
});

tours.add("flipkart_map_sku", {
    steps: () => [
        ...openFlipkartMenu("flipkart_listing_unmapped_menu"),
        {trigger: ".o_searchview_input", run: "edit TOUR-SKU-1"},
        // Pick the suggestion once it is drawn: Enter pressed before the
        // autocomplete renders is lost, and the tour waited in vain.
        {
            trigger: ".o_searchview_autocomplete .o_menu_item:contains('Seller SKU')",
            run: "click",
        },
        {trigger: ".o_facet_values:contains('TOUR-SKU-1')"},
        {
            trigger:
                ".o_data_row:has(.o_data_cell:contains('TOUR-SKU-1')) .o_data_cell[name=product_id]",
            run: "click",
        },
        {
            trigger: ".o_data_row.o_selected_row div[name=product_id] input",
            run: "edit Tour Steel",
        },
        {trigger: ".ui-menu-item > a:contains('Tour Steel Kettle')", run: "click"},
        {trigger: ".o_list_button_save", run: "click"},
        {
            trigger:
                ".o_data_row:has(.o_data_cell:contains('TOUR-SKU-1')) .o_data_cell[name=mapping_source]:contains('By a person')",
        },
        // Flipkart's stock is a column; one account needs no Account column.
        {trigger: ".o_list_view th[data-name=flipkart_inventory]"},
        {trigger: ".o_list_view:not(:has(th[data-name=account_id]))"},
    ],
});

tours.add("flipkart_pack", {
    steps: () => [
        // A held delivery says why and offers no Pack.
        {trigger: ".o_form_view .alert-warning:contains('On hold at Flipkart')"},
        {trigger: ".o_form_view:not(:has(button[name=action_flipkart_pack]))"},
        {
            trigger: "body",
            run: (helpers) => helpers.goToUrl(cookie("flipkart_tour_next")),
        },
        {trigger: ".o_form_view button[name=action_flipkart_pack]", run: "click"},
        {trigger: ".o_form_view button[name=action_flipkart_print_label]"},
        {trigger: ".o_notebook .nav-link[name=flipkart]", run: "click"},
        {
            trigger:
                ".o_form_view div[name=flipkart_label_attachment_id]:contains('.pdf')",
        },
        screenshot("delivery_label"),
        {
            trigger: ".o_form_view button[name=action_flipkart_print_label]",
            run: "click",
        },
        {trigger: ".o_form_view div[name=flipkart_invoice_number]"},
        ...openFlipkartMenu("flipkart_event_menu"),
        {trigger: ".o_list_view .o_data_row .o_data_cell:contains('Pack')"},
        screenshot("events_list"),
    ],
});

tours.add("flipkart_prefetch", {
    steps: () => [
        {trigger: ".o_form_view button[name=action_flipkart_prefetch]", run: "click"},
        {trigger: ".modal .o_data_row"},
        {trigger: ".modal-footer button[name=action_start]", run: "click"},
        {trigger: ".modal-footer button[name=action_print]"},
        {trigger: ".modal div[name=ready_count]:contains('3')"},
        {trigger: ".modal-footer button:contains('Close')", run: "click"},
        {trigger: "body:not(:has(.modal))"},
    ],
});

tours.add("flipkart_manifest", {
    steps: () => [
        ...openFlipkartMenu("flipkart_manifest_wizard_menu"),
        // One account, one location: both already chosen.
        {trigger: ".modal div[name=location_id] input:value(/LOC0001/)"},
        {trigger: ".modal-footer button[name=action_load_couriers]", run: "click"},
        {trigger: ".modal div[name=line_ids] .o_data_row"},
        screenshot("manifest_wizard"),
        {trigger: ".modal-footer button[name=action_download]", run: "click"},
        {trigger: ".o_breadcrumb .active:contains('LOC0001')"},
    ],
});

tours.add("flipkart_self_ship", {
    steps: () => [
        {trigger: ".o_statusbar_buttons button:contains('Self-Ship')", run: "click"},
        {trigger: ".modal div[name=courier_name] input", run: "edit Delhivery"},
        {trigger: ".modal div[name=courier_code] input", run: "edit DELHIVERY"},
        {trigger: ".modal div[name=tracking_id] input", run: "edit TOURTRACK1"},
        {trigger: ".modal div[name=invoice_number] input", run: "edit INV/TOUR/1"},
        {
            // Typed in the user's own date format (en_US, en_IN...).
            trigger: ".modal div[name=tentative_delivery_date] input",
            run: (helpers) =>
                helpers.edit(formatDate(luxon.DateTime.now().plus({days: 7}))),
        },
        {
            // Flipkart takes an invoice date between the order's and today.
            trigger: ".modal div[name=invoice_date] input",
            run: (helpers) => helpers.edit(formatDate(luxon.DateTime.now())),
        },
        {trigger: ".modal div[name=invoice_number] input", run: "click"},
        {trigger: ".modal-footer button[name=action_send]", run: "click"},
        {trigger: "body:not(:has(.modal))"},
        {trigger: ".o_notebook .nav-link[name=flipkart]", run: "click"},
        {trigger: ".o_form_view div[name=flipkart_state]:contains('Shipped')"},
    ],
});

tours.add("flipkart_receive_return", {
    steps: () => [
        {trigger: ".o_notebook .nav-link[name=flipkart_return]", run: "click"},
        {trigger: ".o_form_view div[name=flipkart_return_id]"},
        {trigger: ".o_form_view button[name=button_validate]", run: "click"},
        {trigger: ".o_form_view .o_arrow_button_current:contains('Done')"},
        {trigger: ".o_notebook .nav-link[name=flipkart_return]", run: "click"},
        {
            trigger:
                ".o_form_view div[name=flipkart_credit_note_id] a, .o_form_view div[name=flipkart_credit_note_id]:contains('RINV')",
        },
    ],
});
