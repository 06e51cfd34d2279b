/* Measure pages (dashboards/components/measure_page.py). What a page shows lives in its
   address; this turns a selected point of the chart into the address of that period's
   incidents, names the table a download button asks for, and, after a page loads with an
   #anchor (the incident filters lead to one), brings that section into view once Dash has drawn
   it. Nothing here reads data: the server checks every value against the caller's scope. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    carelens_measure: {
        pointHref: function (clickData, state) {
            const noUpdate = window.dash_clientside.no_update;
            const points = clickData && clickData.points;
            if (!state || !points || !points.length || typeof points[0].x !== "string") {
                return noUpdate;
            }
            const period = encodeURIComponent(points[0].x.slice(0, 10));
            const joiner = state.point_href.indexOf("?") < 0 ? "?" : "&";
            return state.point_href + joiner + "period=" + period + "#" + state.anchor;
        },

        downloadRequest: function () {
            const noUpdate = window.dash_clientside.no_update;
            const state = arguments[arguments.length - 1] || {};
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
                view: state.view || null,
                query: state.query || null,
                requested: Date.now()
            };
        }
    }
});

(function () {
    const wanted = window.location.hash.slice(1);
    if (!/^[a-z-]+-incidents-section$/.test(wanted)) {
        return;
    }
    const observer = new MutationObserver(function () {
        const section = document.getElementById(wanted);
        if (section) {
            observer.disconnect();
            section.focus({preventScroll: true});
            section.scrollIntoView({block: "start"});
            // charts above it draw a moment later and can move it: look again
            window.setTimeout(function () { section.scrollIntoView({block: "start"}); }, 1000);
        }
    });
    observer.observe(document.documentElement, {childList: true, subtree: true});
    window.setTimeout(function () { observer.disconnect(); }, 15000);
})();
