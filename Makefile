# CCHC — the two commands: `make run` and `make test`. Both set up what they need and say what they do.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
CCHC := $(VENV)/bin/cchc
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: pdf-tools run test test-sqlite test-postgres test-browser venv migrate demo bench bench-scale lint format clean help

help:
	@echo "make run    – cài đặt, tạo CSDL nhúng (SQLite), nạp dữ liệu trình diễn, chạy ứng dụng tại http://$(HOST):$(PORT)/"
	@echo "make test   – cài đặt và chạy toàn bộ kiểm thử trên SQLite và PostgreSQL (kể cả trình duyệt)"
	@echo "make bench  – đo hiệu năng, in số liệu"

venv:
	@echo "==> Môi trường Python (.venv) và các gói phụ thuộc"
	@scripts/ensure-venv.sh >/dev/null

migrate: venv
	@echo "==> Tạo/cập nhật cơ sở dữ liệu nhúng (SQLite trong thư mục dữ liệu)"
	@$(CCHC) migrate --no-input -v 1

demo: migrate
	@echo "==> Dữ liệu trình diễn: tỉnh Đồng Nai (nạp một lần)"
	@$(CCHC) demo

# PDF documents are DOCX converted by LibreOffice: `make run` installs it (Debian, as root) so that
# every PDF the README promises works; without the rights it says how and the rest still runs.
pdf-tools:
	@echo "==> LibreOffice (văn bản PDF)"
	@scripts/ensure-libreoffice.sh >/dev/null || echo "    Chưa có LibreOffice: các bản PDF sẽ báo lỗi, bản DOCX vẫn tải được."

run: demo pdf-tools
	@echo "==> Khởi động máy chủ (gunicorn, tệp tĩnh phục vụ tại chỗ) và tiến trình tác vụ nền (nhập, xuất, nhắc hạn theo lịch)"
	@echo "    Mở http://$(HOST):$(PORT)/ và đăng nhập bằng một tài khoản ở trên."
	@$(CCHC) serve --host $(HOST) --port $(PORT) --no-migrate

test: venv
	@echo "==> Trình duyệt Chromium (gói Debian) cho kiểm thử giao diện"
	@export CCHC_CHROMIUM="$$(scripts/ensure-chromium.sh)"; \
	echo "==> LibreOffice (xuất biểu mẫu PDF)"; \
	scripts/ensure-libreoffice.sh >/dev/null || exit 1; \
	echo "==> PostgreSQL cho kiểm thử"; \
	PG_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)"; \
	echo "==> Kiểm tra mã nguồn (ruff)"; \
	$(VENV)/bin/ruff check --quiet . || exit 1; \
	echo "==> Kiểm tra phân lớp giữa các ứng dụng (import-linter)"; \
	$(VENV)/bin/lint-imports --no-cache >/dev/null || { $(VENV)/bin/lint-imports --no-cache; exit 1; }; \
	echo "==> Kiểm tra kiểu (mypy, django-stubs)"; \
	$(VENV)/bin/mypy --no-error-summary || exit 1; \
	echo "==> Kiểm tra migration đầy đủ"; \
	$(CCHC) makemigrations --check --dry-run >/dev/null || { echo "Thiếu migration: chạy 'cchc makemigrations'"; exit 1; }; \
	echo "==> Kiểm thử trên SQLite"; \
	DATABASE_URL= $(PY) -m pytest $(PYTEST_ARGS) || exit 1; \
	echo "==> Kiểm thử trên PostgreSQL ($$PG_URL)"; \
	DATABASE_URL="$$PG_URL" $(PY) -m pytest $(PYTEST_ARGS) || exit 1; \
	echo "==> Tất cả kiểm thử đạt trên SQLite và PostgreSQL"

bench: venv
	@echo "==> Đo hiệu năng (in số liệu; không phải kiểm thử)"
	@echo "==> Trang theo dõi nhiệm vụ trên SQLite"
	@$(PY) bench/run.py
	@echo "==> Trang theo dõi nhiệm vụ trên PostgreSQL"
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/run.py --postgres
	@echo "==> Chỉ số CCHC: 130 đơn vị × 60 tiêu chí (tính điểm, xếp hạng, các trang) trên SQLite và PostgreSQL"
	@$(PY) bench/par_index.py
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/par_index.py --postgres
	@echo "==> Cổng công khai: tra cứu 2.000 thủ tục, bảng xếp hạng trước/sau bộ nhớ đệm, trên SQLite và PostgreSQL"
	@$(PY) bench/portal.py
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/portal.py --postgres

	@$(PY) bench/inspections.py
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/inspections.py --postgres

	@echo "==> Khảo sát sự hài lòng: 200.000 phiếu, 130 đơn vị (tính lại, trang kết quả); chọn mẫu 5% từ 200.000 hồ sơ (SQLite)"
	@$(PY) bench/surveys.py
	@echo "==> Khảo sát sự hài lòng trên PostgreSQL: như trên, chọn mẫu 5% từ 5.000.000 hồ sơ (trước/sau)"
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/surveys.py --postgres --dossiers 5000000
	@echo "==> Nhập văn bản kế hoạch: độ chính xác, độ phủ, thời gian"
	@$(PY) bench/plan_import_eval.py
	@echo "==> Tính hạn giải quyết hàng loạt"
	@$(PY) bench/due_dates.py
	@echo "==> Chỉ số từ tệp hồ sơ (chế độ tệp, DuckDB), 2.000.000 hồ sơ, so với một truy vấn DuckDB thường trên cùng tệp"
	@$(PY) bench/indicators_filemode.py --rows 2000000
	@echo "==> Nhập 1.000.000 hồ sơ từ tệp vào PostgreSQL (và nhập lại), so với mốc chỉ nạp lại các dòng đó"
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/dossiers_import.py
	@echo "==> Nhập 200.000 hồ sơ từ tệp vào SQLite (và nhập lại)"
	@$(PY) bench/dossiers_import.py --sqlite --count 200000
	@echo "==> Các bộ đọc văn bản: thời gian ở cỡ N và 2N (kế hoạch TXT, MD, DOCX; danh mục thủ tục XLSX)"
	@$(PY) bench/parsers_linear.py
	@echo "==> Tiếp nhận hồ sơ: độ trễ đến lúc lưu, CSDL có sẵn 200.000 hồ sơ (SQLite và PostgreSQL)"
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/dossier_receipt.py
	@echo "==> Một cửa: hàng đợi, trang hồ sơ, giấy hẹn, tìm theo người nộp với 200.000 hồ sơ (SQLite và PostgreSQL)"
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/desk.py
	@echo "==> Chỉ số trực tiếp trên PostgreSQL, 5.000.000 hồ sơ: tính lại, sự kiện → số liệu, trang tổng hợp (lần đầu nạp dữ liệu ~30 phút)"
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/indicators_live.py
	@echo "==> Báo cáo định kỳ: báo cáo năm tổng hợp của tỉnh từ 130 báo cáo, trang tình hình nộp (SQLite 100.000 hồ sơ; PostgreSQL 5.000.000 hồ sơ, ~20 phút nạp)"
	@$(PY) bench/reports.py
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/reports.py --postgres --dossiers 5000000
	@echo "==> Chỉ số 766 trên PostgreSQL, 2.000.000 hồ sơ: năm, quý, tháng"
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/index766.py --dossiers 2000000
	@echo "==> API v1: nhận sự kiện hồ sơ theo lô, đọc số liệu chỉ số (SQLite và PostgreSQL)"
	@$(PY) bench/api.py
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/api.py --postgres
	@$(MAKE) --no-print-directory bench-scale

# Scale (docs/scaling.md): live indicators at SCALE million dossiers (default the first million of
# `cchc_scale`; `make bench-scale SCALE=1,2,5,10` grows it to 10 million by copies in SQL and
# measures each step), the curve redrawn, then the load test (locust, loopback, LOAD_STEPS users,
# LOAD_SECONDS each) on whatever `cchc_scale` holds. The first run loads a million dossiers (~15 min).
SCALE ?= 1
LOAD_STEPS ?= 5,10,20
LOAD_SECONDS ?= 30
bench-scale: venv
	@echo "==> Quy mô: chỉ số trực tiếp ở $(SCALE) triệu hồ sơ (CSDL cchc_scale, giữ lại giữa các lần đo)"
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/scale.py --scales $(SCALE)
	@$(PY) bench/scaling_chart.py
	@echo "==> Tải: locust trên 127.0.0.1, gunicorn + PostgreSQL (cchc_scale), $(LOAD_STEPS) người dùng, mỗi bước $(LOAD_SECONDS) s"
	@BENCH_DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) bench/load.py --steps $(LOAD_STEPS) --seconds $(LOAD_SECONDS)
	@echo "==> Bản sao đọc: máy chủ chính + bản sao tạm (scripts/start-replica.sh), định tuyến trang tổng hợp"
	@DATABASE_URL="$$(PYTHON=$(PY) scripts/ensure-postgres.sh)" $(PY) -m pytest -q tests/test_db_router.py -p no:cacheprovider \
		|| echo "    (kiểm thử bản sao không đạt: xem thông báo ở trên)"

lint: venv
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: venv
	@$(VENV)/bin/ruff format . && $(VENV)/bin/ruff check --fix .

clean:
	@scripts/stop-postgres.sh || true
	rm -rf .data .pytest_cache .hypothesis .mypy_cache
