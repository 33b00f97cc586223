# SPDX-License-Identifier: Apache 2 License
x = 1
