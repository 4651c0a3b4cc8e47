/*
 * The optimizer playground: the course's 2-D surfaces and optimizer steps, run live in the page.
 *
 * Every formula is that of the course's Python, written in the same order of operations so
 * that both give the same numbers (tests/test_playground.py compares them to 1e-12):
 * surfaces from descent/surfaces.py, steps from descent/steps.py, the heavy-ball form from
 * descent/momentum_lab.py, AdamW as book/adaptive.md states Keras' rule, and "diverged" as
 * descent/sweeps.py decides it. A page embeds the playground with
 *   <div class="descent-playground" data-preset="polyak"><noscript>...</noscript></div>
 * and window.descentPlayground.run(surface, optimizer, settings, start, steps) is its pure API.
 */
"use strict";

(function () {
  /* ---------- Surfaces: f, gradient, window, minimiser, start (descent/surfaces.py) ---------- */

  function quadratic(a, b) {
    return {
      name: `valley (condition number ${fmt(b / a)})`,
      f: ([x, y]) => 0.5 * (a * (x * x) + b * (y * y)),
      grad: ([x, y]) => [a * x, b * y],
      xlim: [-5.5, 5.5],
      ylim: [-3.0, 3.0],
      minimum: [0.0, 0.0],
      start: [-5.0, 2.0],
      logLevels: false,
    };
  }

  function rosenbrock() {
    return {
      name: "Rosenbrock",
      f: ([x, y]) => (1 - x) * (1 - x) + 100 * ((y - x * x) * (y - x * x)),
      grad: ([x, y]) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
      xlim: [-2.0, 2.0],
      ylim: [-1.0, 3.0],
      minimum: [1.0, 1.0],
      start: [-1.5, 2.5],
      logLevels: true,
    };
  }

  function mccormick() {
    return {
      name: "McCormick",
      f: ([x, y]) => Math.sin(x + y) + (x - y) * (x - y) - 1.5 * x + 2.5 * y + 1,
      grad: ([x, y]) => [
        Math.cos(x + y) + 2 * (x - y) - 1.5,
        Math.cos(x + y) - 2 * (x - y) + 2.5,
      ],
      xlim: [-1.5, 4.0],
      ylim: [-3.0, 4.0],
      minimum: [-0.54719, -1.54719],
      start: [3.5, 3.5],
      logLevels: false,
    };
  }

  /* The surface turned by `degrees` about the origin: f(R^T p), gradient R g(R^T p). */
  function rotated(surface, degrees) {
    const angle = degrees * (Math.PI / 180);
    const c = Math.cos(angle), s = Math.sin(angle);
    const turn = ([x, y]) => [c * x + -s * y, s * x + c * y]; // R p
    const back = ([x, y]) => [c * x + s * y, -s * x + c * y]; // R^T p
    const corners = [];
    for (const x of surface.xlim) for (const y of surface.ylim) corners.push(turn([x, y]));
    const xs = corners.map((p) => p[0]), ys = corners.map((p) => p[1]);
    return {
      ...surface,
      name: `${surface.name}, rotated ${fmt(degrees)}°`,
      f: (p) => surface.f(back(p)),
      grad: (p) => turn(surface.grad(back(p))),
      xlim: [Math.min(...xs), Math.max(...xs)],
      ylim: [Math.min(...ys), Math.max(...ys)],
      minimum: turn(surface.minimum),
      start: turn(surface.start),
    };
  }

  /* {name: "valley", kappa, rotation} | {name: "Rosenbrock"} | {name: "McCormick"}. The valley
     keeps its steep curvature 10 (chapters 1 and 4): curvatures 10 / kappa and 10. */
  function makeSurface(spec) {
    let surface;
    if (spec.name === "valley") surface = quadratic(10 / spec.kappa, 10);
    else if (spec.name === "Rosenbrock") surface = rosenbrock();
    else if (spec.name === "McCormick") surface = mccormick();
    else throw new Error(`unknown surface ${spec.name}`);
    return spec.rotation ? rotated(surface, spec.rotation) : surface;
  }

  /* ---------- Optimizer steps: step(x, g, state, h) -> [newX, newState] (descent/steps.py) ---------- */

  const zeros = () => [0, 0];
  const each = (f) => [f(0), f(1)]; // the update applied to both coordinates

  function gd(x, g, state, h) {
    return [each((i) => x[i] - h.learning_rate * g[i]), state];
  }

  function momentum(x, g, state, h) {
    const b = h.beta_1 ?? 0.9;
    const v0 = state ?? zeros();
    const v = each((i) => b * v0[i] + (1 - b) * g[i]); // exponentially weighted average of gradients
    return [each((i) => x[i] - h.learning_rate * v[i]), v];
  }

  function heavyBall(x, g, state, h) {
    const b = h.momentum ?? 0.9;
    const u0 = state ?? zeros();
    const u = each((i) => b * u0[i] + h.learning_rate * g[i]); // velocity, learning rate inside
    return [each((i) => x[i] - u[i]), u];
  }

  function nesterov(x, g, state, h) {
    const b = h.beta_1 ?? 0.9;
    const v0 = state ?? zeros();
    const v = each((i) => b * v0[i] + (1 - b) * g[i]); // the same average as momentum
    const look = each((i) => b * v[i] + (1 - b) * g[i]); // step from the look-ahead point
    return [each((i) => x[i] - h.learning_rate * look[i]), v];
  }

  function adagrad(x, g, state, h) {
    const eps = h.epsilon ?? 1e-8;
    const s0 = state ?? zeros();
    const s = each((i) => s0[i] + g[i] * g[i]); // running sum of squared gradients
    return [each((i) => x[i] - (h.learning_rate * g[i]) / (Math.sqrt(s[i]) + eps)), s];
  }

  function rmsprop(x, g, state, h) {
    const rho = h.rho ?? 0.9, eps = h.epsilon ?? 1e-8;
    const s0 = state ?? zeros();
    const s = each((i) => rho * s0[i] + (1 - rho) * (g[i] * g[i])); // average of squared gradients
    return [each((i) => x[i] - (h.learning_rate * g[i]) / (Math.sqrt(s[i]) + eps)), s];
  }

  function adam(x, g, state, h) {
    const b1 = h.beta_1 ?? 0.9, b2 = h.beta_2 ?? 0.999, eps = h.epsilon ?? 1e-8;
    const [m0, v0, t0] = state ?? [zeros(), zeros(), 0];
    const t = t0 + 1; // the step counter starts at 1
    const m = each((i) => b1 * m0[i] + (1 - b1) * g[i]); // first moment
    const v = each((i) => b2 * v0[i] + (1 - b2) * (g[i] * g[i])); // second moment
    const mHat = each((i) => m[i] / (1 - Math.pow(b1, t))); // bias-corrected first moment
    const vHat = each((i) => v[i] / (1 - Math.pow(b2, t))); // bias-corrected second moment
    const step = each((i) => (h.learning_rate * mHat[i]) / (Math.sqrt(vHat[i]) + eps));
    return [each((i) => x[i] - step[i]), [m, v, t]];
  }

  /* AdamW as Keras and PyTorch write it (book/adaptive.md): the Adam step, then the decoupled
     decay learning_rate * weight_decay * x, x the point before the step. */
  function adamw(x, g, state, h) {
    const [moved, next] = adam(x, g, state, h);
    const decay = h.learning_rate * (h.weight_decay ?? 0.004);
    return [each((i) => moved[i] - decay * x[i]), next];
  }

  /* name -> step, which shared controls it reads (as Python keyword names), its colour. */
  const OPTIMIZERS = {
    "gradient descent": { step: gd, uses: [] },
    "momentum": { step: momentum, uses: ["beta_1"] },
    "heavy ball": { step: heavyBall, uses: ["momentum"] },
    "Nesterov": { step: nesterov, uses: ["beta_1"] },
    "Adagrad": { step: adagrad, uses: ["epsilon"] },
    "RMSprop": { step: rmsprop, uses: ["rho", "epsilon"] },
    "Adam": { step: adam, uses: ["beta_1", "beta_2", "epsilon"] },
    "AdamW": { step: adamw, uses: ["beta_1", "beta_2", "epsilon", "weight_decay"] },
  };

  /* The visited points from `start`, stopping after the first point that is not finite
     (descent.surfaces.trace). */
  function run(surfaceSpec, optimizer, settings, start, steps) {
    const surface = makeSurface(surfaceSpec);
    const step = OPTIMIZERS[optimizer].step;
    let x = (start ?? surface.start).slice(), state = null;
    const path = [x];
    for (let k = 0; k < steps; k++) {
      [x, state] = step(x, surface.grad(x), state, settings);
      path.push(x);
      if (!x.every(Number.isFinite)) break; // diverged; keep what was visited
    }
    return path;
  }

  /* The first step at which the path is not finite or lies outside the window widened by its
     own size on every side, else null (descent.sweeps.escape_step). */
  function escapeStep(surface, path) {
    const [x0, x1] = surface.xlim, [y0, y1] = surface.ylim;
    const w = x1 - x0, h = y1 - y0;
    const inside = ([x, y]) =>
      Number.isFinite(x) && Number.isFinite(y) &&
      x0 - w <= x && x <= x1 + w && y0 - h <= y && y <= y1 + h;
    if (inside(path[path.length - 1])) return null;
    return path.findIndex((p) => !inside(p));
  }

  /* Final gap f - f*, steps until f - f* < tolerance, and where the run diverged. */
  function summarise(surface, path, tolerance) {
    const best = surface.f(surface.minimum);
    const gaps = path.map((p) => surface.f(p) - best);
    const escaped = escapeStep(surface, path);
    const reached = gaps.findIndex((gap) => gap < tolerance);
    return {
      gaps,
      escaped,
      final: escaped === null ? gaps[gaps.length - 1] : Infinity,
      reached: escaped === null || reached < escaped ? (reached < 0 ? null : reached) : null,
    };
  }

  /* ---------- Presets: the chapters' experiments ---------- */

  function polyak(kappa) {
    const mu = 10 / kappa, L = 10; // the valley's curvatures
    return {
      rate: 4 / (Math.sqrt(L) + Math.sqrt(mu)) ** 2,
      beta: ((Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1)) ** 2,
      gd: 2 / (mu + L),
    };
  }

  const DEFAULTS = {
    surface: "valley", kappa: 10, rotation: 0, steps: 100, tolerance: 1e-6,
    beta: 0.9, beta_2: 0.999, rho: 0.9, epsilon: 1e-8, weight_decay: 0.004,
  };

  const PRESETS = {
    "valley-momentum": {
      label: "κ = 50: gradient descent, momentum, Nesterov (chapter 4)",
      settings: { surface: "valley", kappa: 50, steps: 60, beta: 0.8 },
      rates: { "gradient descent": 0.19, "momentum": 0.5, "Nesterov": 0.5 },
    },
    "polyak": {
      label: "κ = 50, Polyak's β: gradient descent vs heavy ball",
      make() {
        const p = polyak(50);
        return {
          settings: { surface: "valley", kappa: 50, steps: 400, beta: p.beta, tolerance: 1e-12 },
          rates: { "gradient descent": p.gd, "heavy ball": p.rate },
        };
      },
    },
    "rotated-adam": {
      label: "rotated valley: Adam vs momentum (chapter 5)",
      settings: { surface: "valley", kappa: 1000, rotation: 45, steps: 300, beta: 0.9 },
      rates: { "momentum": 0.1, "Adam": 0.1 }, // the sweep's shared rate 0.1
    },
    "gd-limit": {
      label: "gradient descent near its stability limit 2/10",
      settings: { surface: "valley", kappa: 10, steps: 100 },
      rates: { "gradient descent": 0.19 },
    },
    "rosenbrock": {
      label: "Rosenbrock: momentum, RMSprop, Adam",
      settings: { surface: "Rosenbrock", steps: 300, beta: 0.9 },
      rates: { "momentum": 0.01, "RMSprop": 0.01, "Adam": 0.1 },
    },
    "mccormick": {
      label: "McCormick: which minimum? (α = 0.05)",
      settings: { surface: "McCormick", steps: 300, beta: 0.9 },
      rates: { "gradient descent": 0.05, "momentum": 0.05, "RMSprop": 0.05, "Adam": 0.05 },
    },
    "adamw": {
      label: "Adam vs AdamW (weight decay 0.1) on the valley",
      settings: { surface: "valley", kappa: 10, steps: 200, weight_decay: 0.1 },
      rates: { "Adam": 0.1, "AdamW": 0.1 },
    },
  };

  function preset(key) {
    const p = PRESETS[key] || PRESETS["valley-momentum"];
    const made = p.make ? p.make() : p;
    return { settings: { ...DEFAULTS, ...made.settings }, rates: made.rates };
  }

  /* ---------- Formatting ---------- */

  function fmt(v) {
    if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
    if (Math.abs(v) < 1e-3) return v.toExponential(3).replace(/\.?0+e/, "e"); // 1e-6, 5.623e-5
    return String(+v.toPrecision(4));
  }
  function sci(v) {
    return Number.isFinite(v) ? v.toExponential(2) : String(v);
  }

  /* ---------- Drawing ---------- */

  const PALETTE = {
    light: ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6A00", "#6A3D9A", "#000000", "#8C8C8C"],
    dark: ["#56B4E9", "#FF9F5A", "#3DDC97", "#F0A6CA", "#F0E442", "#B39DFF", "#FFFFFF", "#A0A0A0"],
  };
  const COLOUR = Object.fromEntries(Object.keys(OPTIMIZERS).map((name, i) => [name, i]));

  function theme() {
    const style = getComputedStyle(document.documentElement);
    const dark = document.documentElement.dataset.theme === "dark";
    return {
      dark,
      text: style.getPropertyValue("--pst-color-text-base").trim() || (dark ? "#ddd" : "#222"),
      muted: style.getPropertyValue("--pst-color-text-muted").trim() || "#777",
      background: style.getPropertyValue("--pst-color-background").trim() || (dark ? "#121212" : "#fff"),
      palette: dark ? PALETTE.dark : PALETTE.light,
    };
  }

  /* A canvas sized to its box at the screen's resolution; returns its context and size. */
  function prepare(canvas, aspect) {
    const width = canvas.clientWidth || 300, height = Math.round(width * aspect);
    const ratio = window.devicePixelRatio || 1;
    canvas.style.height = `${height}px`;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return { ctx, width, height };
  }

  function niceTicks(lo, hi, count) {
    const raw = (hi - lo) / count, power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
    const ticks = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) ticks.push(+t.toFixed(10));
    return ticks;
  }

  /* Contour levels as in descent.plotting.contour: geometric for steep valleys, otherwise
     denser near the minimum. */
  function levels(values, logLevels) {
    const lo = Math.min(...values), hi = Math.max(...values);
    return Array.from({ length: 19 }, (_, k) => {
      const u = (k + 1) / 19;
      return logLevels ? Math.max(lo, 1e-3) * (hi / Math.max(lo, 1e-3)) ** u : lo + (hi - lo) * u * u;
    });
  }

  /* Marching squares: the line segments where the gridded values cross `level`. */
  function contourSegments(grid, n, level) {
    const segs = [];
    const cut = (a, b, va, vb) => a + ((level - va) / (vb - va)) * (b - a);
    for (let j = 0; j < n - 1; j++) {
      for (let i = 0; i < n - 1; i++) {
        const v = [grid[j * n + i], grid[j * n + i + 1], grid[(j + 1) * n + i + 1], grid[(j + 1) * n + i]];
        const c = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]];
        const points = [];
        for (let e = 0; e < 4; e++) {
          const a = e, b = (e + 1) % 4;
          if ((v[a] < level) !== (v[b] < level)) {
            points.push([cut(c[a][0], c[b][0], v[a], v[b]), cut(c[a][1], c[b][1], v[a], v[b])]);
          }
        }
        for (let k = 0; k + 1 < points.length; k += 2) segs.push(points[k], points[k + 1]);
      }
    }
    return segs;
  }

  /* ---------- The component ---------- */

  let count = 0;

  class Playground {
    constructor(root) {
      this.root = root;
      this.id = `descent-pg-${++count}`;
      this.build();
      this.load(root.dataset.preset || "valley-momentum");
      new ResizeObserver(() => this.draw()).observe(this.plot);
      new MutationObserver(() => this.draw()).observe(document.documentElement, {
        attributes: true, attributeFilter: ["data-theme"],
      });
    }

    el(tag, attributes = {}, parent = null, text = "") {
      const node = document.createElement(tag);
      for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
      if (text) node.textContent = text;
      if (parent) parent.appendChild(node);
      return node;
    }

    /* A labelled number input, optionally with a slider (linear or log10) tied to it. */
    field(parent, key, label, { min, max, step = "any", log = false, slider = true } = {}) {
      const row = this.el("div", { class: "pg-field" }, parent);
      const id = `${this.id}-${key.replace(/\W/g, "-")}`;
      this.el("label", { for: id }, row, label);
      const number = this.el("input", { type: "number", id, min, max, step, inputmode: "decimal" }, row);
      let range = null;
      if (slider) {
        range = this.el("input", {
          type: "range", "aria-label": `${label} (${log ? "log-scale " : ""}slider)`,
          min: log ? Math.log10(min) : min, max: log ? Math.log10(max) : max,
          step: log ? 0.01 : step === "any" ? (max - min) / 200 : step,
        }, row);
        range.addEventListener("input", () => {
          number.value = fmt(log ? 10 ** +range.value : +range.value);
          range.setAttribute("aria-valuetext", number.value);
          this.update();
        });
      }
      number.addEventListener("input", () => {
        if (number.value === "" || !Number.isFinite(+number.value)) return;
        if (range) {
          range.value = log ? Math.log10(Math.max(+number.value, 1e-300)) : number.value;
          range.setAttribute("aria-valuetext", number.value);
        }
        this.update();
      });
      this.inputs[key] = {
        get: () => +number.value,
        set: (v) => {
          number.value = fmt(v);
          if (range) {
            range.value = log ? Math.log10(v) : v;
            range.setAttribute("aria-valuetext", number.value);
          }
        },
        number, range, row,
      };
      return row;
    }

    build() {
      const r = this.root;
      r.replaceChildren();
      r.setAttribute("role", "group");
      r.setAttribute("aria-label", "Optimizer playground");
      this.inputs = {};
      this.el("p", { class: "pg-title" }, r, "Optimizer playground: runs in your browser, the same numbers as the course's code");

      const bar = this.el("div", { class: "pg-presets" }, r);
      this.el("label", { for: `${this.id}-preset` }, bar, "Experiment");
      this.presetSelect = this.el("select", { id: `${this.id}-preset` }, bar);
      for (const [key, p] of Object.entries(PRESETS)) this.el("option", { value: key }, this.presetSelect, p.label);
      const load = this.el("button", { type: "button", class: "pg-load" }, bar, "Load");
      load.addEventListener("click", () => this.load(this.presetSelect.value));

      const plots = this.el("div", { class: "pg-plots" }, r);
      this.plot = this.el("canvas", { class: "pg-contour", role: "img" }, plots);
      this.lossPlot = this.el("canvas", { class: "pg-loss", role: "img" }, plots);
      this.plot.addEventListener("click", (event) => this.clickStart(event));
      this.el("p", { class: "pg-hint" }, r,
        "Click the contour plot (or type x and y below) to start from another point. The star marks the minimum, the circle the start; " +
        "the loss curves show f − f* on a log scale down to 1e-16. Nothing moves until you change a setting.");

      this.status = this.el("p", { class: "pg-status", "aria-live": "polite" }, r);
      const table = this.el("table", { class: "pg-results" }, r);
      this.el("caption", {}, table, "Each run: final value above the minimum and steps to the tolerance");
      const head = this.el("tr", {}, this.el("thead", {}, table));
      for (const h of ["optimizer", "α", "final f − f*", "steps to tolerance", "status"]) {
        this.el("th", { scope: "col" }, head, h);
      }
      this.tbody = this.el("tbody", {}, table);

      const controls = this.el("div", { class: "pg-controls" }, r);
      const where = this.el("fieldset", {}, controls);
      this.el("legend", {}, where, "Surface and start");
      const row = this.el("div", { class: "pg-field" }, where);
      this.el("label", { for: `${this.id}-surface` }, row, "surface");
      this.surfaceSelect = this.el("select", { id: `${this.id}-surface` }, row);
      for (const name of ["valley", "Rosenbrock", "McCormick"]) this.el("option", { value: name }, this.surfaceSelect, name);
      this.surfaceSelect.addEventListener("change", () => { this.start = null; this.update(); });
      this.field(where, "kappa", "condition number κ (valley)", { min: 1, max: 1000, log: true });
      this.field(where, "rotation", "rotation in degrees (valley)", { min: 0, max: 90, step: 1 });
      this.inputs.rotation.range.addEventListener("input", () => { this.start = null; });
      this.inputs.rotation.number.addEventListener("input", () => { this.start = null; });
      this.field(where, "x", "start x", { slider: false });
      this.field(where, "y", "start y", { slider: false });
      for (const key of ["x", "y"]) {
        this.inputs[key].number.addEventListener("input", () => {
          this.start = [this.inputs.x.get(), this.inputs.y.get()];
          this.update();
        });
      }
      const reset = this.el("button", { type: "button" }, where, "Surface's own start");
      reset.addEventListener("click", () => { this.start = null; this.update(); });

      const who = this.el("fieldset", {}, controls);
      this.el("legend", {}, who, "Optimizers and their learning rates α");
      this.checks = {};
      for (const name of Object.keys(OPTIMIZERS)) {
        const line = this.el("div", { class: "pg-optimizer" }, who);
        const id = `${this.id}-use-${name.replace(/\W/g, "-")}`;
        const check = this.el("input", { type: "checkbox", id }, line);
        const label = this.el("label", { for: id }, line);
        this.el("span", { class: "pg-swatch", "aria-hidden": "true", "data-colour": COLOUR[name] }, label, "■");
        label.append(`\u00a0${name}`); // a no-break space keeps the swatch with the name
        check.addEventListener("change", () => this.update());
        this.checks[name] = check;
        this.field(line, `rate-${name}`, `α for ${name}`, { min: 1e-4, max: 10, log: true });
      }

      const how = this.el("fieldset", {}, controls);
      this.el("legend", {}, how, "Shared settings");
      this.field(how, "beta", "β (β1 of Adam; momentum of the heavy ball)", { min: 0, max: 0.999, step: 0.001 });
      this.field(how, "beta_2", "β2 (Adam, AdamW)", { min: 0, max: 0.9999, step: 0.0001 });
      this.field(how, "rho", "ρ (RMSprop)", { min: 0, max: 0.999, step: 0.001 });
      this.field(how, "epsilon", "ε", { min: 1e-12, max: 1, log: true });
      this.field(how, "weight_decay", "weight decay λ (AdamW)", { min: 0, max: 1, step: 0.001 });
      this.field(how, "steps", "steps", { min: 1, max: 2000, step: 1 });
      this.field(how, "tolerance", "tolerance on f − f*", { min: 1e-15, max: 1, log: true });
    }

    load(key) {
      const { settings, rates } = preset(key);
      this.presetSelect.value = PRESETS[key] ? key : "valley-momentum";
      this.surfaceSelect.value = settings.surface;
      for (const k of ["kappa", "rotation", "beta", "beta_2", "rho", "epsilon", "weight_decay", "steps", "tolerance"]) {
        this.inputs[k].set(settings[k]);
      }
      for (const name of Object.keys(OPTIMIZERS)) {
        this.checks[name].checked = name in rates;
        this.inputs[`rate-${name}`].set(rates[name] ?? 0.01);
      }
      this.start = null;
      this.update();
    }

    spec() {
      const name = this.surfaceSelect.value;
      return name === "valley"
        ? { name, kappa: this.inputs.kappa.get() || 1, rotation: this.inputs.rotation.get() || 0 }
        : { name };
    }

    settings(name) {
      const v = (k) => this.inputs[k].get();
      return {
        learning_rate: v(`rate-${name}`), beta_1: v("beta"), momentum: v("beta"),
        beta_2: v("beta_2"), rho: v("rho"), epsilon: v("epsilon"), weight_decay: v("weight_decay"),
      };
    }

    /* Rerun every chosen optimizer and redraw; cheap enough for every input event. */
    update() {
      const spec = this.spec();
      const valley = spec.name === "valley";
      for (const k of ["kappa", "rotation"]) {
        for (const input of [this.inputs[k].number, this.inputs[k].range]) input.disabled = !valley;
      }
      this.surface = makeSurface(spec);
      const start = this.start ?? this.surface.start;
      this.inputs.x.set(+start[0].toFixed(4));
      this.inputs.y.set(+start[1].toFixed(4));
      const steps = Math.max(1, Math.min(5000, Math.round(this.inputs.steps.get() || 1)));
      const tolerance = this.inputs.tolerance.get();
      this.runs = Object.keys(OPTIMIZERS).filter((n) => this.checks[n].checked).map((name) => {
        const path = run(spec, name, this.settings(name), start, steps);
        return { name, path, rate: this.settings(name).learning_rate, ...summarise(this.surface, path, tolerance) };
      });
      this.startPoint = start;
      this.report(steps, tolerance);
      this.draw();
    }

    report(steps, tolerance) {
      this.tbody.replaceChildren();
      for (const run of this.runs) {
        const tr = this.el("tr", { "data-optimizer": run.name }, this.tbody);
        const cell = this.el("th", { scope: "row" }, tr);
        this.el("span", { class: "pg-swatch", "aria-hidden": "true", "data-colour": COLOUR[run.name] }, cell, "■");
        cell.append(`\u00a0${run.name}`);
        this.el("td", {}, tr, fmt(run.rate));
        this.el("td", { class: "pg-final" }, tr, run.escaped === null ? sci(run.final) : "—");
        this.el("td", { class: "pg-reached" }, tr, run.reached === null ? `not within ${steps}` : String(run.reached));
        this.el("td", { class: "pg-state" }, tr, run.escaped === null ? "did not diverge" : `diverged at step ${run.escaped}`);
      }
      const diverged = this.runs.filter((r) => r.escaped !== null);
      const [x, y] = this.startPoint;
      this.status.textContent =
        `${this.surface.name}, ${steps} steps from (${fmt(x)}, ${fmt(y)}), tolerance ${sci(tolerance)}. ` +
        (this.runs.length === 0 ? "No optimizer chosen." :
          diverged.length ? `Diverged: ${diverged.map((r) => `${r.name} (at step ${r.escaped})`).join(", ")}.` : "No run diverged.");
      const described = this.runs.map((r) => (r.escaped === null ? `${r.name} ends ${sci(r.final)} above the minimum` : `${r.name} diverges at step ${r.escaped}`));
      this.plot.setAttribute("aria-label", `Contour plot of ${this.surface.name} with the paths: ${described.join("; ") || "none"}.`);
      this.lossPlot.setAttribute("aria-label", `f − f* against step on a log scale: ${described.join("; ") || "none"}.`);
    }

    /* Plot box of the contour canvas, in CSS pixels, and the maps between world and canvas. */
    frame(width, height) {
      const left = 44, right = 16, top = 28, bottom = 30;
      const s = this.surface, [x0, x1] = s.xlim, [y0, y1] = s.ylim;
      const w = width - left - right, h = height - top - bottom;
      return {
        left, top, w, h,
        X: (x) => left + ((x - x0) / (x1 - x0)) * w,
        Y: (y) => top + (1 - (y - y0) / (y1 - y0)) * h,
        fromCanvas: (cx, cy) => [x0 + ((cx - left) / w) * (x1 - x0), y0 + (1 - (cy - top) / h) * (y1 - y0)],
      };
    }

    clickStart(event) {
      const box = this.plot.getBoundingClientRect();
      const f = this.frame(box.width, box.height);
      const [x, y] = f.fromCanvas(event.clientX - box.left, event.clientY - box.top);
      const s = this.surface;
      if (x < s.xlim[0] || x > s.xlim[1] || y < s.ylim[0] || y > s.ylim[1]) return;
      this.start = [+x.toFixed(3), +y.toFixed(3)];
      this.update();
    }

    draw() {
      if (!this.runs) return;
      const t = theme();
      for (const swatch of this.root.querySelectorAll(".pg-swatch")) {
        swatch.style.color = t.palette[swatch.dataset.colour];
      }
      this.drawContours(t);
      this.drawLosses(t);
    }

    drawContours(t) {
      const { ctx, width, height } = prepare(this.plot, 0.75);
      const f = this.frame(width, height), s = this.surface;
      ctx.font = "12px system-ui, sans-serif";
      const n = 90, grid = new Float64Array(n * n);
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          grid[j * n + i] = s.f([
            s.xlim[0] + ((s.xlim[1] - s.xlim[0]) * i) / (n - 1),
            s.ylim[0] + ((s.ylim[1] - s.ylim[0]) * j) / (n - 1),
          ]);
        }
      }
      ctx.strokeStyle = t.muted;
      ctx.globalAlpha = 0.7;
      ctx.lineWidth = 1;
      const cx = (i) => f.left + (i / (n - 1)) * f.w, cy = (j) => f.top + (1 - j / (n - 1)) * f.h;
      for (const level of levels(grid, s.logLevels)) {
        const segs = contourSegments(grid, n, level);
        ctx.beginPath();
        for (let k = 0; k < segs.length; k += 2) {
          ctx.moveTo(cx(segs[k][0]), cy(segs[k][1]));
          ctx.lineTo(cx(segs[k + 1][0]), cy(segs[k + 1][1]));
        }
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
      this.axes(ctx, f, t, niceTicks(...s.xlim, 6), niceTicks(...s.ylim, 5), (v) => fmt(v), (v) => fmt(v), "x", "y");
      ctx.save();
      ctx.beginPath();
      ctx.rect(f.left, f.top, f.w, f.h);
      ctx.clip();
      for (const r of this.runs) {
        const colour = t.palette[COLOUR[r.name]];
        const shown = r.escaped === null ? r.path : r.path.slice(0, r.escaped + 1);
        ctx.strokeStyle = ctx.fillStyle = colour;
        ctx.lineWidth = 1.6;
        ctx.beginPath();
        shown.forEach(([x, y], k) => (k ? ctx.lineTo(f.X(x), f.Y(y)) : ctx.moveTo(f.X(x), f.Y(y))));
        ctx.stroke();
        for (const [x, y] of shown) {
          ctx.beginPath();
          ctx.arc(f.X(x), f.Y(y), 2, 0, 2 * Math.PI);
          ctx.fill();
        }
      }
      ctx.restore();
      for (const r of this.runs) {
        if (r.escaped === null) continue;
        const [x, y] = r.path[Math.max(0, r.escaped - 1)];
        const px = Math.min(Math.max(f.X(x), f.left + 4), f.left + f.w - 90);
        const py = Math.min(Math.max(f.Y(y), f.top + 14), f.top + f.h - 4);
        ctx.fillStyle = t.palette[COLOUR[r.name]];
        ctx.fillText(`✕ ${r.name} diverged`, px, py);
      }
      ctx.fillStyle = t.text;
      ctx.font = "18px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText("★", f.X(s.minimum[0]), f.Y(s.minimum[1]));
      ctx.strokeStyle = t.text;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(f.X(this.startPoint[0]), f.Y(this.startPoint[1]), 6, 0, 2 * Math.PI);
      ctx.stroke();
    }

    drawLosses(t) {
      const { ctx, width, height } = prepare(this.lossPlot, 0.75);
      ctx.font = "12px system-ui, sans-serif";
      const floor = 1e-16;
      const curves = this.runs.map((r) => {
        const end = r.escaped === null ? r.gaps.length : r.escaped + 1;
        return r.gaps.slice(0, end).map((g) => Math.max(g, floor));
      });
      const finite = curves.flat().filter(Number.isFinite);
      const first = Math.max(...curves.map((c) => c[0]).filter(Number.isFinite), 1e-3);
      const hi = Math.min(Math.max(...finite, 1e-3), first * 1e3);
      const lo = Math.max(Math.min(...finite, hi / 10), floor);
      const decades = [Math.floor(Math.log10(lo)), Math.ceil(Math.log10(hi))];
      const steps = Math.max(1, ...this.runs.map((r) => r.path.length - 1));
      const left = 52, right = 16, top = 28, bottom = 30;
      const w = width - left - right, h = height - top - bottom;
      const f = {
        left, top, w, h,
        X: (k) => left + (k / steps) * w,
        Y: (v) => top + (1 - (Math.log10(v) - decades[0]) / (decades[1] - decades[0])) * h,
      };
      const span = decades[1] - decades[0], every = Math.max(1, Math.ceil(span / 6));
      const yTicks = [];
      for (let d = decades[0]; d <= decades[1]; d += every) yTicks.push(10 ** d);
      this.axes(ctx, f, t, niceTicks(0, steps, 5), yTicks, (v) => fmt(v), (v) => `1e${Math.round(Math.log10(v))}`, "step", "f − f*");
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, w, h);
      ctx.clip();
      this.runs.forEach((r, k) => {
        ctx.strokeStyle = t.palette[COLOUR[r.name]];
        ctx.lineWidth = 1.8;
        ctx.beginPath();
        curves[k].forEach((v, step) => {
          const y = Number.isFinite(v) ? f.Y(Math.min(v, 10 ** decades[1] * 10)) : top;
          step ? ctx.lineTo(f.X(step), y) : ctx.moveTo(f.X(step), y);
        });
        ctx.stroke();
      });
      ctx.restore();
      this.runs.forEach((r) => {
        if (r.escaped === null) return;
        ctx.fillStyle = t.palette[COLOUR[r.name]];
        ctx.textAlign = "left";
        ctx.fillText(`✕ ${r.name} diverged`, Math.min(f.X(r.escaped), left + w - 110), top + 14);
      });
    }

    axes(ctx, f, t, xTicks, yTicks, xLabel, yLabel, xName, yName) {
      ctx.strokeStyle = t.text;
      ctx.fillStyle = t.text;
      ctx.lineWidth = 1;
      ctx.strokeRect(f.left, f.top, f.w, f.h);
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      for (const v of xTicks) {
        const x = f.X(v);
        if (x < f.left - 1 || x > f.left + f.w + 1) continue;
        ctx.fillText(xLabel(v), x, f.top + f.h + 4);
      }
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      for (const v of yTicks) {
        const y = f.Y(v);
        if (y < f.top - 1 || y > f.top + f.h + 1) continue;
        ctx.fillText(yLabel(v), f.left - 4, y);
      }
      ctx.textAlign = "right";
      ctx.textBaseline = "bottom";
      ctx.fillText(xName, f.left + f.w, f.top + f.h + 30);
      ctx.textAlign = "left";
      ctx.fillText(yName, 2, f.top - 12);
    }
  }

  window.descentPlayground = {
    surface: makeSurface,
    run,
    escapeStep,
    presets: PRESETS,
    optimizers: Object.keys(OPTIMIZERS),
    polyak,
  };

  function start() {
    for (const root of document.querySelectorAll(".descent-playground:not([data-ready])")) {
      root.dataset.ready = "true";
      root.playground = new Playground(root);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
