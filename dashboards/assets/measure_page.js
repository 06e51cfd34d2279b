/* Measure pages (dashboards/components/measure_page.py): gather each page's controls into one
   value per concern in the browser, so that every server-side callback reads a single store,
   and turn a selected point of the chart into the incident list's period. Nothing here reads
   data: the server checks every value against the caller's locations. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    carelens_measure: {
        view: function (location, grain, measure) {
            return {
                location: location === undefined ? null : location,
                grain: grain === undefined ? null : grain,
                measure: measure === undefined ? null : measure
            };
        },

        periodFromClick: function (clickData, sectionId) {
            const noUpdate = window.dash_clientside.no_update;
            const points = clickData && clickData.points;
            if (!points || !points.length || typeof points[0].x !== "string") {
                return noUpdate;
            }
            const section = document.getElementById(sectionId);
            if (section) {
                section.scrollIntoView({block: "start"});
            }
            return points[0].x.slice(0, 10);
        },

        incidentQuery: function (view, period, harm, location, subtype) {
            return {
                view: view || null,
                period: period || "all",
                harm: harm || "all",
                subtype: subtype || "all",
                location: location || "all"
            };
        },

        downloadRequest: function () {
            const noUpdate = window.dash_clientside.no_update;
            const states = Array.prototype.slice.call(arguments, -2);
            const triggered = window.dash_clientside.callback_context.triggered;
            if (!triggered || !triggered.length || !triggered[0].value) {
                return noUpdate;
            }
            const button = triggered[0].prop_id.split(".")[0];
            const match = /-download-([a-z]+)-(csv|xlsx)$/.exec(button);
            if (!match) {
                return noUpdate;
            }
            return {
                table: match[1],
                format: match[2],
                view: states[0],
                query: states[1],
                requested: Date.now()
            };
        }
    }
});
