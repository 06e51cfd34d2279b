/* Quality summary (dashboards/pages/quality.py): gather the target form's three fields into
   one value in the browser, so that the server-side save callback reads a single state. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    carelens_quality: {
        targetForm: function (key, targetRate, note) {
            return {
                key: key === undefined ? null : key,
                target_rate: targetRate === undefined ? null : targetRate,
                note: note === undefined ? null : note
            };
        }
    }
});
