from oppmarket.cli import main

raise SystemExit(main())
