from minqing.cli import main

raise SystemExit(main())
