# conv2d、conv_transpose2d、max_pool2d 和 avg_pool2d（src/ops/conv2d.rs、
# src/ops/conv_transpose2d.rs、src/ops/pool.rs）。控件的消息是标签，`.help` 属性是标签下的说明；
# 阶段的消息是阶段名，`.explain…` 是它的说明。

## 各卷积共用

conv-same-strided = 步长大于 1 的卷积不支持 padding='same'（stride 必须为 1）
conv-at-least-one = { $name } 至少为 1
conv-groups-divide = { $name }（{ $channels }）必须能被 groups（{ $groups }）整除
conv-bias-length = bias 有 { $len } 个值，但输出通道有 { $channels } 个
conv-fact-weights = 权重：{ $product } = { $n }{ $bias ->
        [0] {""}
       *[other] {" + "}{ $bias } 个偏置
    }
conv-fact-multiply-adds = 乘加：{ $products }
conv-stage-sweep = 卷积核滑动

## conv2d

conv2d-title = conv2d（卷积）
conv2d-summary = 卷积核在补零后的输入上滑动；每个输出单元格等于卷积核 × 窗口之和（再加上偏置）。
conv2d-padding = 填充
    .help = 在输入四周补的零（p），可逐轴设置；“same”保持尺寸不变（仅限步长 1），“valid”不补零。
conv2d-weight-channels = 权重需要 { $expected } 个输入通道（每组 { $per_group } 个 × { $groups } 组），但输入有 { $channels } 个
conv2d-pads-even = 2·padding { $p }
conv2d-pads-uneven = padding { $before } + { $after }
conv2d-span-too-wide = 膨胀后的卷积核跨越 { $span } { $axis ->
        [rows] 行
       *[columns] 列
    }，但填充后的输入只有 { $padded } { $axis ->
        [rows] 行（高度
       *[columns] 列（宽度
    } { $size } + { $pads }）
conv2d-formula-same = padding='same'：dilation·(kernel_size − 1) = { $d_rows }·({ $k_rows } − 1) = { $rows } 行、{ $d_cols }·({ $k_cols } − 1) = { $cols } 列零，较少的一半放在前面（与 PyTorch 相同）：上 { $top }、下 { $bottom }、左 { $left }、右 { $right }
conv2d-formula-valid = padding='valid'：不填充
conv2d-fact-span = { $kernel } 的卷积核在膨胀率 { $dilation } 下覆盖 { $span } 的输入区域，共 { $taps } 个抽头{ $holes ->
        [0] {""}
       *[other] （跳过抽头之间的 { $holes } 个单元格）
    }
conv2d-sweep-explain = 卷积核在填充后的输入上滑动；每个输出单元格是卷积核 × 窗口之和。

## conv_transpose2d

convt-title = conv_transpose2d（转置卷积）
convt-summary = 上采样：gather = 插入零、填充，再用翻转的卷积核以步长 1 滑动；scatter = 每个输入单元格把“值 × 卷积核”叠加到输出上。
convt-view = 视图
    .help = 计算转置卷积的两种等价方式；得到的数值相同。
convt-view-gather = gather：插入零 → 填充 → 滑动
convt-view-scatter = scatter：逐个把输入单元格叠加到输出
convt-padding = 填充
    .help = 从输出每侧裁掉的行列数（p），可逐轴设置；在 gather 视图中，它把补零减少为 d(k − 1) − p。
convt-output-padding = 输出填充
    .help = 在输出底部和右侧额外添加的行和列；必须小于 stride 或 dilation。
convt-weight-channels = 权重 [C_in, C_out/groups, kh, kw] 的 C_in = { $weight }，但输入有 { $channels } 个通道
convt-output-padding-too-large = output_padding（{ $output_padding }）必须小于 stride（{ $stride }）或 dilation（{ $dilation }）之一
convt-crops-everything = padding { $padding } 把整个输出都裁掉了：{ $sum }
convt-fact-cropped = 叠加的 { $stamped } 个乘积中有 { $n } 个落在输出之外（被填充裁掉），不计入
convt-count = { $n }
convt-count-axes = { $rows }（行）和 { $cols }（列）
convt-pad-none = { $axis ->
        [rows] 上下不补行
        [columns] 左右不补列
       *[both] 不补行也不补列
    }
convt-pad-add = { $axis ->
        [rows] 上下各补 { $q } 行零
        [columns] 左右各补 { $q } 列零
       *[both] 上下各补 { $q } 行零，左右各补 { $q } 列零
    }
convt-pad-crop = { $axis ->
        [rows] 上下各裁掉 { $q } 行
        [columns] 左右各裁掉 { $q } 列
       *[both] 上下各裁掉 { $q } 行，左右各裁掉 { $q } 列
    }（padding 超过了 dilation·(kernel_size − 1)）
convt-padding-explain = dilation·(kernel_size − 1) − padding：{ $what }。
convt-padding-explain-axes = dilation·(kernel_size − 1) − padding：{ $rows }；{ $cols }。
convt-formula-output-padding-bottom = ，底部另加 output_padding { $op }
convt-formula-output-padding-right = ，右侧另加 output_padding { $op }
convt-formula-gather = gather{ $axis ->
        [rows] （行）
        [columns] （列）
       *[both] {""}
    }：在相邻单元格之间插入 stride − 1 = { $zeros } 个零，每侧填充 dilation·(kernel_size − 1) − padding = { $d }·({ $k } − 1) − { $p } = { $pad }{ $extra }，再以步长 1 滑动 w′ = 旋转 180° 的 w
convt-caption-z = z = 插入零并填充后的 x
convt-caption-flipped = w′ = 旋转 180° 的 w
convt-stage-insertion = 插入零
    .explain = 输入单元格被拉开，相邻单元格之间插入 stride − 1 = { $zeros } 个零。
convt-stage-padding = 填充
convt-stage-rotation = 卷积核旋转
    .explain = 卷积核旋转 180°：w′[c, o, a, b] = w[c, o, k_h − 1 − a, k_w − 1 − b]，于是滑动时每个窗口与 w′ 逐单元格相乘。
convt-sweep-explain = w′（旋转 180° 的 w）以步长 1 滑动；每个输出单元格是 w′ 与窗口逐单元格乘积之和。
convt-stage-start = 初始化
    .explain = 每个输出单元格从零开始。
    .explain-bias = 每个输出单元格从所在通道的偏置开始。
convt-stage-scatter = 叠加
    .explain = 每个输入单元格把“值 × 卷积核”叠加到输出上；重叠处相加（计数表示叠加了几次）。

## max_pool2d 与 avg_pool2d

pool2d-max-title = max_pool2d（最大池化）
pool2d-max-summary = 每个输出单元格保留其窗口下的最大值；步长 > 1 时特征图会缩小。
pool2d-avg-title = avg_pool2d（平均池化）
pool2d-avg-summary = 每个输出单元格是其窗口的平均值；count_include_pad 决定填充的零是否计入。
pool2d-kernel-size = 窗口大小
    .help = 池化窗口的高和宽（k）。
pool2d-stride = 步长
    .help = 相邻窗口之间的间隔（s）；FCN 和 DeepLab 把部分池化层的步长改为 1。
pool2d-padding = 填充
    .help = 在每个轴前后添加的单元格数（p ≤ k/2）。
pool2d-dilation = 膨胀率
    .help = 窗口单元格之间的间距（d）；窗口跨越 d·(k − 1) + 1 个单元格。
pool2d-ceil-mode = ceil_mode
    .help = 输出尺寸向上取整而不是向下取整（最后一个窗口仍须起始于输入或左侧填充之内）。
pool2d-channels = 通道数
    .help = 通道数（C）；每个通道各自池化。
pool2d-count-include-pad = count_include_pad
    .help = true：填充的零计入除数（PyTorch 的默认值）；false：只计输入单元格。
pool2d-padding-too-large = padding（{ $padding }）最多只能是 kernel_size（{ $kernel_size }）的一半（向下取整），这是 PyTorch 的要求
pool2d-no-output = 输出将只有 { $out } { $axis ->
        [rows] 行：{ $window } 个单元格宽的窗口放不进 { $size } 行
       *[columns] 列：{ $window } 个单元格宽的窗口放不进 { $size } 列
    }加 2·{ $padding } 的填充
pool2d-stage-max = 最大池化
    .explain = 每个输出单元格取其窗口下最大的输入值（填充永远不会被选中）。
pool2d-stage-avg = 平均池化
    .explain = 每个输出单元格是其窗口下各输入单元格的平均值；填充不计入。
    .explain-pad = 每个输出单元格是其窗口的平均值；填充的零计入除数。
    .explain-override = 每个输出单元格是其窗口之和除以 divisor_override。
pool2d-formula-dropped = { $line }；最后一个窗口将起始于 { $start } ≥ { $name } + padding = { $limit }，落在右侧填充中，因此 ceil_mode 舍弃了它：{ $out }
pool2d-fact-no-weights = 权重：无
pool2d-fact-spread = ，分布在 { $span } 的范围内
pool2d-fact-windows = 每个窗口有 { $kernel } = { $taps } 个抽头{ $spread }，窗口间隔 { $stride }：{ $shared ->
        [0] 没有输入单元格被两个窗口读取
       *[other] { $shared } 个输入单元格被两个及以上窗口读取
    }；{ $unread ->
        [0] 每个输入单元格都被读取
       *[other] { $unread } 个输入单元格没有被任何窗口读取
    }
pool2d-fact-pad-counted = count_include_pad 为 true：填充的零计入每个除数
pool2d-fact-pad-not-counted = count_include_pad 为 false：每个除数只计窗口下的输入单元格
pool2d-hint-ceil = { $line }；在 ceil_mode 下，若最后一个窗口将起始于右侧填充中（≥ { $name } + padding），则舍弃它
