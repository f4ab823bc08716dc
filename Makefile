# fosi's two commands (see README.md):
#   make report   build .venv/ if missing or out of date, then write reports/ from data/raw/
#   make test     build .venv/ likewise, then run every test
# and `make lab` for JupyterLab, kept in its own environment (.venv-lab/).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LAB_VENV ?= .venv-lab
PIP_FLAGS := --quiet --disable-pip-version-check
# The notebooks name the kernel `fosi`: its spec in an environment lets papermill and JupyterLab find it.
KERNEL_SPEC := share/jupyter/kernels/fosi/kernel.json
# JupyterLab refuses to start as root unless told; say so only when we are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help report test lab notebooks clean

help:
	@echo "make report     run the notebooks on data/raw/ and write HTML reports to reports/ (one per response too)"
	@echo "make test       run every test"
	@echo "make lab        open the project in JupyterLab on 127.0.0.1 (its own environment, .venv-lab/)"
	@echo "make notebooks  re-run the notebooks and store the outputs nbval compares (then commit)"
	@echo "make clean      remove .venv/, .venv-lab/ and reports/"

# The stamp is older than pyproject.toml when the dependencies change: reinstall then.
$(BIN)/.fosi-installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "fosi needs Python 3.11 or newer; set PYTHON=/path/to/python3.11"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[test]'
	@touch $@

$(VENV)/$(KERNEL_SPEC): $(BIN)/.fosi-installed
	$(BIN)/python -m fosi.publish.notebooks install-kernel

report: $(BIN)/.fosi-installed $(VENV)/$(KERNEL_SPEC)
	$(BIN)/fosi report --each

test: $(BIN)/.fosi-installed $(VENV)/$(KERNEL_SPEC)
	$(BIN)/python -m pytest

notebooks: $(BIN)/.fosi-installed $(VENV)/$(KERNEL_SPEC)
	$(BIN)/python -m fosi.publish.notebooks store-checked-outputs notebooks/[0-9][0-9]_*.ipynb

$(LAB_VENV)/bin/.fosi-installed: pyproject.toml
	@test -x $(LAB_VENV)/bin/python || $(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install $(PIP_FLAGS) -e '.[lab]'
	@touch $@

# The `fosi` kernel spec, and the Jupyter server's pre-save hook that saves the committed
# notebooks clean (fosi.publish.notebooks.pre_save_hook), in JupyterLab's environment.
$(LAB_VENV)/etc/jupyter/jupyter_server_config.json: $(LAB_VENV)/bin/.fosi-installed
	$(LAB_VENV)/bin/python -m fosi.publish.notebooks configure-lab

lab: $(LAB_VENV)/bin/.fosi-installed $(LAB_VENV)/etc/jupyter/jupyter_server_config.json
	$(LAB_VENV)/bin/jupyter lab --ip=127.0.0.1 --no-browser $(ALLOW_ROOT)

clean:
	rm -rf $(VENV) $(LAB_VENV) reports
