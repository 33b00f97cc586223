// not python, on purpose: a C-style header
/* SPDX-License-Identifier: GPL-2.0-only */
