// SPDX-License-Identifier: MIT
// Copyright 2026 Gyeongnam Precision Co., Ltd.
const express = require("express");

const app = express();
app.get("/api/defects", (req, res) => res.json({ line: req.query.line, risk: 0.12 }));
app.listen(8080);
