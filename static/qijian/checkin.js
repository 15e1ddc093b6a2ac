// The inspector's phone pages (docs/phone.md): scanning the enterprise code with jsQR, the check-in POST
// with an idempotency key, the offline queue kept in localStorage, and the check-out form of the result
// page. Loaded as a file: the CSP forbids inline scripts.
(function () {
  "use strict";

  var MAX_SENT = 20;  // recently uploaded items listed on the page
  var SCAN_WIDTH = 640;  // camera frames are scaled down to this width before decoding

  // --- Helpers --------------------------------------------------------------------------------
  function byId(id) { return document.getElementById(id); }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // crypto.randomUUID exists only in secure contexts (HTTPS, localhost); the intranet may serve HTTP.
  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") { return window.crypto.randomUUID(); }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function show(box, kind, text) {
    if (!box) { return; }
    box.className = "alert alert-" + kind;
    box.textContent = text;
  }

  function errorText(data, status) {
    if (data && typeof data.detail === "string") { return data.detail; }
    if (data && typeof data === "object") {
      var parts = Object.keys(data).map(function (k) { return [].concat(data[k]).join(" "); });
      if (parts.length) { return parts.join(";"); }
    }
    return "提交失败(状态 " + status + "),请稍后重试";
  }

  // Resolves to {status, data}; rejects only when the request never got an answer (no network).
  function postJson(url, body, token, key) {
    var headers = { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token };
    if (key) { headers["Idempotency-Key"] = key; }
    return fetch(url, { method: "POST", headers: headers, body: JSON.stringify(body), credentials: "same-origin" })
      .then(function (resp) {
        return resp.json().catch(function () { return {}; }).then(function (data) {
          return { status: resp.status, data: data };
        });
      });
  }

  function localTime(iso) {
    var d = new Date(iso);
    return isNaN(d) ? "" : d.toLocaleString("zh-CN", { hour12: false });
  }

  // --- The queue (pending / failed / sent), one set of lists per signed-in user ----------------
  function Store(prefix) { this.prefix = prefix; }
  Store.prototype.load = function (name) {
    try { return JSON.parse(window.localStorage.getItem(this.prefix + ":" + name) || "[]"); }
    catch (e) { return []; }
  };
  Store.prototype.save = function (name, list) {
    window.localStorage.setItem(this.prefix + ":" + name, JSON.stringify(list));
  };
  Store.prototype.push = function (name, item, limit) {
    var list = this.load(name);
    list.push(item);
    this.save(name, limit ? list.slice(-limit) : list);
  };
  Store.prototype.drop = function (name, key) {
    this.save(name, this.load(name).filter(function (i) { return i.key !== key; }));
  };

  // A server answer that will never change on a retry: the item leaves the queue as failed.
  function isFinalRefusal(status) {
    return status >= 400 && status < 500 && [401, 403, 408, 429].indexOf(status) < 0;
  }

  // --- The scan page --------------------------------------------------------------------------
  function ScanPage(root) {
    this.root = root;
    this.api = root.dataset.api;
    this.resultBase = root.dataset.resultBase;
    this.store = new Store(root.dataset.queue);
    this.form = byId("qj-checkin-form");
    this.code = byId("qj-code");
    this.message = byId("qj-message");
    this.source = "typed";
    this.position = null;
    this.flushing = false;
  }

  ScanPage.prototype.start = function () {
    var self = this;
    this.form.addEventListener("submit", function (e) { e.preventDefault(); self.submit(); });
    this.code.addEventListener("input", function () { self.source = "typed"; });
    byId("qj-flush").addEventListener("click", function () { self.flush(true); });
    byId("qj-clear-failed").addEventListener("click", function () { self.store.save("failed", []); self.render(); });
    window.addEventListener("online", function () { self.flush(false); });
    new Scanner(this).start();
    this.watchLocation();
    this.render();
    this.flush(false);
  };

  ScanPage.prototype.setCode = function (text) {
    this.code.value = text;
    this.source = "online";
  };

  ScanPage.prototype.watchLocation = function () {
    var self = this;
    var box = byId("qj-geo");
    var status = byId("qj-geo-status");
    box.addEventListener("change", function () {
      self.position = null;
      status.textContent = "";
      if (!box.checked) { return; }
      if (!navigator.geolocation) { status.textContent = "此设备或页面不支持定位"; box.checked = false; return; }
      status.textContent = "正在获取位置…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        self.position = pos.coords;
        status.textContent = "已获取位置(精度约 " + Math.round(pos.coords.accuracy) + " 米)";
      }, function (err) {
        status.textContent = "无法获取位置:" + (err.code === 1 ? "未授权定位" : "定位失败") + ",将不记录位置";
        box.checked = false;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  };

  ScanPage.prototype.body = function () {
    var companions = Array.prototype.map.call(
      this.form.querySelectorAll("input[name=companions]:checked"), function (i) { return i.value; });
    var body = {
      enterprise_code: this.code.value.trim(),
      companions: companions,
      client_time: new Date().toISOString(),
      source: this.source
    };
    if (this.position) {
      body.latitude = Number(this.position.latitude.toFixed(6));
      body.longitude = Number(this.position.longitude.toFixed(6));
      body.accuracy_m = Math.round(this.position.accuracy);
    }
    return body;
  };

  ScanPage.prototype.submit = function () {
    var self = this;
    if (!this.code.value.trim()) { show(this.message, "danger", "请先扫描企业码,或输入企业码"); return; }
    var item = { key: newKey(), body: this.body(), label: this.code.value.trim().slice(-24) };
    if (!navigator.onLine) { this.enqueue(item); return; }
    var button = byId("qj-submit");
    button.disabled = true;
    show(this.message, "info", "正在提交…");
    postJson(this.api, item.body, csrfToken(this.form), item.key).then(function (r) {
      button.disabled = false;
      if (r.status === 200 || r.status === 201) { window.location.assign(self.resultBase + r.data.id + "/"); return; }
      if (r.status >= 500) { self.enqueue(item); return; }
      show(self.message, "danger", errorText(r.data, r.status));
    }, function () {
      button.disabled = false;
      self.enqueue(item);
    });
  };

  ScanPage.prototype.enqueue = function (item) {
    item.body.source = "offline";
    item.queued_at = item.body.client_time;
    this.store.push("pending", item);
    this.code.value = "";
    this.source = "typed";
    this.render();
    show(this.message, "warning", "网络不可用,入企记录已保存在本机,恢复网络后自动上传(待上传 "
      + this.store.load("pending").length + " 条)");
  };

  // Sends the queue oldest first with each item's own key, so a replay is stored once.
  ScanPage.prototype.flush = function (byHand) {
    var self = this;
    if (this.flushing) { return; }
    if (!navigator.onLine) {
      if (byHand) { show(this.message, "warning", "当前无网络,恢复信号后再上传"); }
      return;
    }
    var pending = this.store.load("pending");
    if (!pending.length) { return; }
    this.flushing = true;
    var token = csrfToken(this.form);
    var next = function (list) {
      if (!list.length) { self.flushing = false; self.render(); self.announce(); return; }
      var item = list[0];
      postJson(self.api, item.body, token, item.key).then(function (r) {
        self.settle(item, r);
        if (r.status >= 200 && r.status < 300 || isFinalRefusal(r.status)) { next(list.slice(1)); return; }
        self.flushing = false;
        show(self.message, "warning", "上传暂未成功(" + errorText(r.data, r.status) + "),稍后将重试");
      }, function () {
        self.flushing = false;
        self.render();
      });
    };
    next(pending);
  };

  ScanPage.prototype.settle = function (item, r) {
    if (r.status >= 200 && r.status < 300) {
      this.store.drop("pending", item.key);
      var label = r.data.enterprise_name || item.label;
      this.store.push("sent", { key: item.key, id: r.data.id, label: label, at: item.queued_at }, MAX_SENT);
    } else if (isFinalRefusal(r.status)) {
      this.store.drop("pending", item.key);
      this.store.push("failed", { key: item.key, label: item.label, at: item.queued_at, message: errorText(r.data, r.status) });
    }
    this.render();
  };

  ScanPage.prototype.announce = function () {
    var failed = this.store.load("failed").length;
    var left = this.store.load("pending").length;
    if (!left) { show(this.message, failed ? "warning" : "success", failed ? "离线记录已上传,部分记录被退回,见“失败”" : "离线记录已全部上传"); }
  };

  ScanPage.prototype.render = function () {
    var self = this;
    var pending = this.store.load("pending");
    byId("qj-pending-count").textContent = String(pending.length);
    fill(byId("qj-pending-list"), pending, function (i) { return i.label + " · " + localTime(i.queued_at); });
    var failed = this.store.load("failed");
    byId("qj-failed-title").classList.toggle("d-none", !failed.length);
    fill(byId("qj-failed-list"), failed, function (i) { return i.label + " · " + localTime(i.at) + " · " + i.message; }, "text-danger");
    var sent = this.store.load("sent").slice().reverse();
    byId("qj-sent-title").classList.toggle("d-none", !sent.length);
    fill(byId("qj-sent-list"), sent, function (i) { return i.label + " · " + localTime(i.at); }, "", function (i) {
      return self.resultBase + i.id + "/";
    });
  };

  function fill(list, items, text, cls, href) {
    list.replaceChildren.apply(list, items.map(function (item) {
      var li = document.createElement("li");
      li.className = "py-1 border-bottom " + (cls || "");
      var target = li;
      if (href) { target = document.createElement("a"); target.href = href(item); li.appendChild(target); }
      target.textContent = text(item);
      return li;
    }));
  }

  // --- Scanning: camera frames or a photo, decoded by jsQR ------------------------------------
  function Scanner(page) {
    this.page = page;
    this.video = byId("qj-video");
    this.canvas = byId("qj-canvas");
    this.status = byId("qj-scan-status");
    this.startButton = byId("qj-camera-start");
    this.stopButton = byId("qj-camera-stop");
    this.stream = null;
  }

  Scanner.prototype.start = function () {
    var self = this;
    this.startButton.addEventListener("click", function () { self.open(); });
    this.stopButton.addEventListener("click", function () { self.close(); });
    byId("qj-photo").addEventListener("change", function (e) {
      if (e.target.files && e.target.files[0]) { self.decodeFile(e.target.files[0]); }
      e.target.value = "";
    });
  };

  Scanner.prototype.decode = function (source, width, height, attempts) {
    if (typeof window.jsQR !== "function") { this.status.textContent = "扫码组件未加载,请输入企业码"; return null; }
    var scale = Math.min(1, (attempts === "dontInvert" ? SCAN_WIDTH : 1024) / width);
    var w = Math.max(1, Math.round(width * scale));
    var h = Math.max(1, Math.round(height * scale));
    this.canvas.width = w;
    this.canvas.height = h;
    var ctx = this.canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(source, 0, 0, w, h);
    var found = window.jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: attempts });
    return found && found.data ? found.data : null;
  };

  Scanner.prototype.found = function (text) {
    this.page.setCode(text);
    this.status.textContent = "已识别企业码,请选择同行人员后确认入企";
  };

  Scanner.prototype.open = function () {
    var self = this;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      this.status.textContent = "此页面无法打开摄像头(需 HTTPS),请拍照识别或输入企业码";
      return;
    }
    this.status.textContent = "正在打开摄像头…";
    navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (stream) {
        self.stream = stream;
        self.video.srcObject = stream;
        self.video.classList.remove("d-none");
        self.startButton.classList.add("d-none");
        self.stopButton.classList.remove("d-none");
        self.status.textContent = "请将企业码置于画面中";
        return self.video.play().then(function () { window.requestAnimationFrame(function () { self.tick(); }); });
      })
      .catch(function () {
        self.close();
        self.status.textContent = "无法使用摄像头,请拍照识别或输入企业码";
      });
  };

  Scanner.prototype.tick = function () {
    var self = this;
    if (!this.stream) { return; }
    if (this.video.readyState >= this.video.HAVE_ENOUGH_DATA && this.video.videoWidth) {
      var text = this.decode(this.video, this.video.videoWidth, this.video.videoHeight, "dontInvert");
      if (text) { this.close(); this.found(text); return; }
    }
    window.requestAnimationFrame(function () { self.tick(); });
  };

  Scanner.prototype.close = function () {
    if (this.stream) { this.stream.getTracks().forEach(function (t) { t.stop(); }); }
    this.stream = null;
    this.video.srcObject = null;
    this.video.classList.add("d-none");
    this.startButton.classList.remove("d-none");
    this.stopButton.classList.add("d-none");
  };

  Scanner.prototype.decodeFile = function (file) {
    var self = this;
    var url = URL.createObjectURL(file);
    var img = new Image();
    this.status.textContent = "正在识别…";
    img.onload = function () {
      var text = self.decode(img, img.naturalWidth, img.naturalHeight, "attemptBoth");
      URL.revokeObjectURL(url);
      if (text) { self.found(text); } else { self.status.textContent = "未能识别图片中的二维码,请重新拍照或输入企业码"; }
    };
    img.onerror = function () {
      URL.revokeObjectURL(url);
      self.status.textContent = "无法读取该图片,请重新拍照或输入企业码";
    };
    img.src = url;
  };

  // --- The result page: check-out ---------------------------------------------------------------
  function initCheckout(form) {
    var message = byId("qj-message");
    var deadline = byId("qj-deadline-row");
    var sync = function () {
      var chosen = form.querySelector("input[name=result]:checked");
      deadline.classList.toggle("d-none", !chosen || chosen.value !== "problems");
    };
    form.addEventListener("change", sync);
    sync();
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var data = new FormData(form);
      var body = {
        result: data.get("result"),
        method: data.get("method"),
        rectification_deadline: data.get("result") === "problems" ? (data.get("rectification_deadline") || null) : null,
        note: data.get("note") || ""
      };
      show(message, "info", "正在提交…");
      postJson(form.dataset.api, body, csrfToken(form), null).then(function (r) {
        if (r.status >= 200 && r.status < 300) { window.location.reload(); return; }
        show(message, "danger", errorText(r.data, r.status));
      }, function () {
        show(message, "warning", "网络不可用,请恢复信号后再提交检查结果");
      });
    });
  }

  // --- The result page: photos and files ----------------------------------------------------------
  function initAttachments(form) {
    var message = byId("qj-attach-message");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var input = byId("qj-attach-file");
      if (!input.files || !input.files[0]) { show(message, "danger", "请先拍照或选择文件"); return; }
      var data = new FormData();
      data.append("file", input.files[0]);
      show(message, "info", "正在上传…");
      fetch(form.dataset.api, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" }
      }).then(function (resp) {
        return resp.json().catch(function () { return {}; }).then(function (body) {
          if (resp.ok) { window.location.reload(); return; }
          show(message, "danger", errorText(body, resp.status));
        });
      }, function () {
        show(message, "warning", "网络不可用,请恢复信号后再上传附件");
      });
    });
  }

  function init() {
    var root = byId("qj-checkin");
    if (root) { new ScanPage(root).start(); }
    var checkout = byId("qj-checkout-form");
    if (checkout) { initCheckout(checkout); }
    var attach = byId("qj-attach-form");
    if (attach) { initAttachments(attach); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
