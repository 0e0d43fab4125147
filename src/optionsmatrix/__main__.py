from optionsmatrix.cli import main

raise SystemExit(main())
