/* Staff time page (dashboards/pages/time.py). Gathers the assumption form's fields (and the
   location shown) into one value, so the server-side save reads a single state; and turns a
   download button's click into one request for the server-side download callback (the button
   names its table and format in its id). Nothing here reads data: the server checks every value
   against the caller's scope and role. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    carelens_time: {
        assumptionForm: function (name, value, note, view) {
            return {
                name: name === undefined ? null : name,
                value: value === undefined ? null : value,
                note: note === undefined ? null : note,
                location: view && view.location ? view.location : null
            };
        },

        downloadRequest: function (clicks, view) {
            const context = window.dash_clientside.callback_context;
            const id = context.triggered_id;
            if (!id || !(clicks || []).some(function (n) { return n; })) {
                return window.dash_clientside.no_update;
            }
            return {
                table: id.table,
                format: id.format,
                location: view && view.location ? view.location : null,
                clicked: Date.now()
            };
        }
    }
});
