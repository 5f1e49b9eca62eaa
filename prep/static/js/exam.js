/* CMAA Prep exam page: clock, autosave and keyboard shortcuts.
   The page works without this script: every action is also a plain form post. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var exam = document.getElementById("exam");
  var status = document.getElementById("save-status");

  function say(text) {
    if (status) { status.textContent = text; }
  }

  function save(body) {
    if (!exam || !csrfMeta) { return Promise.resolve(); }
    say("Saving…");
    return fetch(exam.dataset.api, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfMeta.content },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 409) {
        say("Time is up. Your saved answers have been submitted.");
        window.location.reload();
        return;
      }
      if (!response.ok) { throw new Error("status " + response.status); }
      say("Saved.");
    }).catch(function () {
      say("Not saved: check your connection. Your answer will be saved when you press Save.");
    });
  }

  /* Autosave: exam answers and flags as they are given; in practice only flags, since an
     answer there is checked (and shown) when the learner presses "Check answer". */
  if (exam) {
    var practice = exam.dataset.mode === "practice";
    document.querySelectorAll('input[name="choice"]').forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (!practice) { save({ choice: parseInt(radio.value, 10) }); }
      });
    });
    var flag = document.getElementById("flagged");
    if (flag) {
      flag.addEventListener("change", function () { save({ flagged: flag.checked }); });
    }
  }

  /* Keyboard shortcuts: 1-4 choose, N next, P previous, F flag. Not while typing. */
  document.addEventListener("keydown", function (event) {
    if (!exam || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName) ||
        (target.tagName === "INPUT" && !/^(radio|checkbox)$/.test(target.type)))) { return; }
    var key = event.key.toLowerCase();
    var form = document.getElementById("answer-form");
    if (["1", "2", "3", "4"].indexOf(key) !== -1) {
      var radio = document.getElementById("choice-" + (parseInt(key, 10) - 1));
      if (radio && !radio.disabled) {
        radio.checked = true;
        radio.focus();
        radio.dispatchEvent(new Event("change"));
        event.preventDefault();
      }
    } else if (key === "f") {
      var box = document.getElementById("flagged");
      if (box) { box.checked = !box.checked; box.dispatchEvent(new Event("change")); event.preventDefault(); }
    } else if ((key === "n" || key === "p") && form) {
      var next = key === "n"
        ? (form.querySelector('a.button[href*="/q/"]') || form.querySelector('button[value="next"]'))
        : form.querySelector('button[value="prev"]');
      if (next) { next.click(); event.preventDefault(); }
    }
  });

  /* The clock: counts down from the server's figure; warnings at 30, 15 and 5 minutes are
     announced to screen readers; the clock can be hidden (the warnings still come). */
  var timer = document.getElementById("timer");
  if (timer) {
    var value = document.getElementById("timer-value");
    var announcer = document.getElementById("timer-announcer");
    var toggle = document.getElementById("timer-toggle");
    var left = parseInt(timer.dataset.secondsLeft, 10);
    var startedAt = Date.now();
    var warnings = [30, 15, 5];
    var warned = {};
    warnings.forEach(function (m) { if (left <= m * 60) { warned[m] = true; } });
    var hidden = window.localStorage && window.localStorage.getItem("prep-clock-hidden") === "1";

    function render() {
      var remaining = Math.max(0, left - Math.floor((Date.now() - startedAt) / 1000));
      var h = Math.floor(remaining / 3600), m = Math.floor((remaining % 3600) / 60), s = remaining % 60;
      value.textContent = h + ":" + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
      warnings.forEach(function (minutes) {
        if (!warned[minutes] && remaining <= minutes * 60) {
          warned[minutes] = true;
          announcer.textContent = minutes + " minutes left.";
        }
      });
      if (remaining === 0) {
        clearInterval(interval);
        announcer.textContent = "Time is up.";
        window.setTimeout(function () { window.location.reload(); }, 1500);
      }
    }

    function applyHidden() {
      value.hidden = hidden;
      document.getElementById("timer-label").textContent = hidden ? "Clock hidden" : "Time left:";
      toggle.textContent = hidden ? "Show clock" : "Hide clock";
      toggle.setAttribute("aria-pressed", hidden ? "true" : "false");
    }

    toggle.addEventListener("click", function () {
      hidden = !hidden;
      if (window.localStorage) { window.localStorage.setItem("prep-clock-hidden", hidden ? "1" : "0"); }
      applyHidden();
    });
    applyHidden();
    var interval = window.setInterval(render, 1000);
    render();
  }

  var feedback = document.getElementById("feedback");
  if (feedback) { feedback.focus(); }
})();
